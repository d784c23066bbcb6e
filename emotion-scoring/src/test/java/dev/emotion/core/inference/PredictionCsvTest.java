package dev.emotion.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Box;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.InferencePrediction;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelTrack;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionCsvTest {

    @TempDir
    Path dir;

    static FacePrediction face(int id, double joy, double anger) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("joy", joy);
        p.put("anger", anger);
        for (String e : List.of("fear", "disgust", "sadness", "surprise", "contempt")) {
            p.put(e, 0.0);
        }
        p.put("neutral", 1 - joy - anger);
        return new FacePrediction(id, new Box(10 + id, 20, 64, 66), p, joy > anger ? "joy" : "anger", null,
                new InferencePrediction.Baseline(id == 1, 20L), 0.93);
    }

    @Test
    void theImotionsLayoutReadsBackAsAnAffdexExport() throws IOException {
        StringWriter w = new StringWriter();
        PredictionCsv csv = new PredictionCsv(w, PredictionCsv.Layout.IMOTIONS);
        csv.writeHeader();
        csv.frame(0, 0, "m,1", List.of(face(0, 0.9, 0.05)));
        csv.frame(6, 200, "m,1", List.of());
        csv.frame(12, 400, "m,1", List.of(face(0, 0.1, 0.8), face(1, 0.5, 0.2)));
        String[] lines = w.toString().split("\n");
        assertEquals("Timestamp,FrameNo,FaceId,FaceRect X,FaceRect Y,FaceRect Width,FaceRect Height,Detection Score,"
                + "Anger,Contempt,Disgust,Fear,Joy,Sadness,Surprise,Neutral," + String.join(",",
                EmotionLabels.AFFDEX_EXPRESSIONS) + ",Valence,Engagement,Attention,Dominant Emotion,Baseline Warm,"
                + "Model", lines[0]);
        assertEquals(5, lines.length, "one row per face, one for the frame without a face");
        assertEquals("0,0,0,10,20,64,66,0.9300,5.000,0.000,0.000,0.000,90.000,0.000,0.000,5.000" + ",".repeat(23)
                + ",joy,false,\"m,1\"", lines[1], "an emotion_class model: the other outputs' cells are empty");
        assertEquals("200,6" + ",".repeat(40) + "\"m,1\"", lines[2], "no face: the time is kept, the scores are empty");
        assertEquals(lines[0].split(",").length, lines[2].split(",", -1).length - 1,
                "as many cells as the header (the quoted model id holds one comma)");

        Path file = Files.writeString(dir.resolve("predictions.csv"), w.toString());
        LabelTrack back = new AffdexCsvReader().read(file);
        assertEquals(List.of(), back.warnings());
        assertEquals(LabelTrack.SCALE_PERCENT, back.scale());
        assertEquals(3, back.samples().size(), "the second face at 400 ms does not add a time");
        assertEquals(0.9, back.samples().get(0).labels().joy(), 1e-9);
        assertTrue(back.samples().get(1).isGap());
        assertEquals(1, back.noFaceRows());
        assertEquals(0.8, back.samples().get(2).labels().anger(), 1e-9, "the first face's row stands");
    }

    /**
     * An affect model's every output lands in its AFFDEX column on AFFDEX's scale, and reads back through the AFFDEX
     * reader as expressions, valence, engagement and attention.
     */
    @Test
    void anAffectModelsExpressionsValenceEngagementAndAttentionFillTheirColumns() throws IOException {
        Map<String, Double> expressions = new LinkedHashMap<>();
        for (String x : EmotionLabels.AFFDEX_EXPRESSIONS) {
            expressions.put(x, x.equals("Smile") ? 0.8 : 0.05);
        }
        FacePrediction f = face(0, 0.7, 0.1);
        FacePrediction affect = new FacePrediction(f.faceId(), f.box(), f.probabilities(), f.dominant(), 0.9,
                f.baseline(), f.detectionScore(), expressions, -0.25, 0.6);
        StringWriter w = new StringWriter();
        PredictionCsv csv = new PredictionCsv(w, PredictionCsv.Layout.IMOTIONS);
        csv.writeHeader();
        csv.frame(0, 0, "affect-1", List.of(affect));
        List<String> header = List.of(csv.header().toArray(String[]::new));
        String[] row = w.toString().split("\n")[1].split(",", -1);
        assertEquals("80.000", row[header.indexOf("Smile")]);
        assertEquals("-25.000", row[header.indexOf("Valence")]);
        assertEquals("60.000", row[header.indexOf("Engagement")]);
        assertEquals("90.000", row[header.indexOf("Attention")]);

        LabelTrack back = new AffdexCsvReader().read(Files.writeString(dir.resolve("affect.csv"), w.toString()));
        var labels = back.samples().get(0).labels();
        assertEquals(0.8, labels.expressions().get("Smile"), 1e-9);
        assertEquals(20, labels.expressions().size());
        assertEquals(-0.25, labels.valence(), 1e-9);
        assertEquals(0.6, labels.engagement(), 1e-9);
        assertEquals(0.9, labels.attention(), 1e-9);
    }

    @Test
    void theOpenFaceLayoutCountsFramesFromOneAndTimeInSeconds() {
        StringWriter w = new StringWriter();
        PredictionCsv csv = new PredictionCsv(w, PredictionCsv.Layout.OPENFACE);
        csv.writeHeader();
        csv.frame(0, 33, "m", List.of(face(1, 0.6, 0.1)));
        csv.frame(1, 66, "m", List.of());
        csv.error("decoding failed after frame 2");
        String[] lines = w.toString().split("\n");
        assertEquals("frame,face_id,timestamp,confidence,success,face_x,face_y,face_width,face_height,anger,contempt,"
                + "disgust,fear,joy,sadness,surprise,neutral,brow_furrow,brow_raise,cheek_raise,chin_raise,dimpler,"
                + "eye_closure,eye_widen,inner_brow_raise,jaw_drop,lid_tighten,lip_corner_depressor,lip_press,"
                + "lip_pucker,lip_stretch,lip_suck,mouth_open,nose_wrinkle,smile,smirk,upper_lip_raise,valence,"
                + "engagement,attention,dominant,baseline_warm,model", lines[0]);
        assertEquals("1,1,0.033,0.9300,1,11,20,64,66,0.10000,0.00000,0.00000,0.00000,0.60000,0.00000,0.00000,"
                + "0.30000" + ",".repeat(23) + ",joy,1,m", lines[1]);
        assertEquals("2,,0.066,0,0" + ",".repeat(38) + "m", lines[2]);
        assertEquals(PredictionCsv.ERROR_PREFIX + " decoding failed after frame 2", lines[3]);
    }
}
