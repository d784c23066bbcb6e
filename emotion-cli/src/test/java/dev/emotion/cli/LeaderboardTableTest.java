package dev.emotion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The leaderboard's checks and paired differences on injected fold scores (no service, no training). */
class LeaderboardTableTest {

    static List<LeaderboardCommand.FoldScore> folds(double... macroF1) {
        List<LeaderboardCommand.FoldScore> out = new ArrayList<>();
        for (int i = 0; i < macroF1.length; i++) {
            ObjectNode m = Contracts.mapper().createObjectNode().put("macro_f1", macroF1[i]);
            out.add(new LeaderboardCommand.FoldScore(42 + i / 3, List.of("p0" + (i % 3)), m));
        }
        return out;
    }

    @Test
    void rowsOnOtherFoldsAreRefusedByName() {
        Map<String, List<LeaderboardCommand.FoldScore>> perModel = new LinkedHashMap<>();
        perModel.put("cnn_simple", folds(0.8, 0.7, 0.9));
        perModel.put("vit_scratch", folds(0.6, 0.5, 0.7));
        LeaderboardCommand.checkSameFolds(perModel);
        List<LeaderboardCommand.FoldScore> shifted = new ArrayList<>(folds(0.5, 0.5, 0.5));
        shifted.set(2, new LeaderboardCommand.FoldScore(42, List.of("p07"), shifted.get(2).metrics()));
        perModel.put("face_expression_baseline", shifted);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LeaderboardCommand.checkSameFolds(perModel));
        assertTrue(e.getMessage().contains("face_expression_baseline (seed 42) was cross-validated on other folds "
                + "than cnn_simple"), e.getMessage());
    }

    @Test
    void differencesArePairedFoldByFoldAgainstTheBaselineAndTheBest() {
        Map<String, List<LeaderboardCommand.FoldScore>> perModel = new LinkedHashMap<>();
        // two seeds x three folds; cnn is always 0.10 above vit; the baseline is flat and low
        perModel.put("cnn_simple", folds(0.80, 0.60, 0.90, 0.82, 0.58, 0.88));
        perModel.put("vit_scratch", folds(0.70, 0.50, 0.80, 0.72, 0.48, 0.78));
        perModel.put("face_expression_baseline", folds(0.30, 0.35, 0.25, 0.31, 0.33, 0.27));
        ArrayNode rows = Contracts.mapper().createArrayNode();
        perModel.forEach((model, fs) -> rows.addObject().put("model", model).putObject("macro_f1")
                .put("mean", fs.stream().mapToDouble(f -> f.metrics().path("macro_f1").asDouble()).average()
                        .orElseThrow()));
        LeaderboardCommand.differences(rows, perModel, 1.0 / 2);
        JsonNode vit = rows.get(1);
        assertEquals("cnn_simple", vit.path("vsBest").path("model").asText());
        assertEquals(-0.10, vit.path("vsBest").path("mean").asDouble(), 1e-9);
        assertEquals(6, vit.path("vsBest").path("pairs").asInt());
        assertEquals(-0.10, vit.path("vsBest").path("ciLow").asDouble(), 1e-9, "a constant gap: no spread");
        assertTrue(vit.path("vsBaseline").path("ciLow").asDouble() < 0.3, "the corrected interval is wide with 3 folds");
        assertFalse(rows.get(0).has("vsBest"), "the best is not compared with itself");
        assertTrue(rows.get(0).path("vsBaseline").path("ciLow").asDouble() > 0, "cnn beats the baseline");
        assertFalse(rows.get(2).has("vsBaseline"));
    }
}
