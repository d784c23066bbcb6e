package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.evaluation.ModelEvaluator;
import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.ClassificationMetrics;
import dev.emotion.core.store.Sample;
import dev.emotion.core.training.TrainedModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A study's dominant-emotion models judged on real people: the shipped real set ({@code datasets/real-faces}),
 * which no model of a synthetic study saw. Each photo is scored as serving scores a lone photo (a model trained on
 * participant baselines gets its cold-start baseline); macro-F1 with a 95 % bootstrap interval over people.
 */
final class RealFaceCheck {

    /** One model's figures on the real faces. */
    record Row(String modelId, String architecture, double macroF1, double low, double high,
               double balancedAccuracy) {
    }

    /** The figures and what they say about the recommended model. */
    record Result(int faces, long people, List<Row> rows, String verdict) {
    }

    private RealFaceCheck() {
    }

    static Result run(ServiceClient training, String trainingUrl, String study, String recommended, Path real,
                      Path work) throws Exception {
        List<Sample> faces = BenchTransfer.realFaces(real, work.resolve("real-store"));
        List<String> people = faces.stream().map(Sample::participantId).toList();
        int[] truth = faces.stream().mapToInt(Sample::dominant).toArray();
        List<Row> rows = new ArrayList<>();
        for (JsonNode m : training.get("/api/v1/models?studyId=" + study)) {
            if (!"emotion_class".equals(m.path("task").asText())) {
                continue;
            }
            String id = m.path("modelId").asText();
            Path dir = TrainedModel.download(id, trainingUrl.replaceAll("/+$", "") + "/api/v1/models/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/artifact", work.resolve("models"));
            try (TrainedModel model = TrainedModel.open(dir)) {
                double[][] p = model.probabilities(ModelEvaluator.score(model, faces,
                        ModelEvaluator.Protocol.COLD_START));
                ClassificationMetrics all = ClassificationMetrics.of(truth, p, model.labels());
                Bootstrap.Interval ci = Bootstrap.intervals(people, idx -> {
                    int[] t = new int[idx.length];
                    double[][] q = new double[idx.length][];
                    for (int i = 0; i < idx.length; i++) {
                        t[i] = truth[idx[i]];
                        q[i] = p[idx[i]];
                    }
                    return java.util.Map.of("macro_f1", ClassificationMetrics.of(t, q, model.labels()).macroF1());
                }, 1000, 42).get("macro_f1");
                rows.add(new Row(id, m.path("architecture").asText(), all.macroF1(), ci.low(), ci.high(),
                        all.balancedAccuracy()));
            }
        }
        return new Result(faces.size(), people.stream().distinct().count(), rows, verdict(rows, recommended));
    }

    /** Whether the served choice is any good on real people, against the zero-training baseline. */
    static String verdict(List<Row> rows, String recommended) {
        Row baseline = rows.stream().filter(r -> r.architecture().equals("face_expression_baseline")).findFirst()
                .orElse(null);
        Row chosen = rows.stream().filter(r -> r.modelId().equals(recommended)).findFirst().orElse(null);
        if (chosen == null || baseline == null) {
            return "no recommended model to compare with the zero-training baseline on real faces";
        }
        if (chosen == baseline) {
            return "the zero-training baseline is served";
        }
        String figures = String.format(Locale.ROOT, "%s %.3f [%.3f, %.3f] vs the zero-training baseline %.3f [%.3f,"
                        + " %.3f]", chosen.modelId(), chosen.macroF1(), chosen.low(), chosen.high(), baseline.macroF1(),
                baseline.low(), baseline.high());
        if (chosen.high() < baseline.low()) {
            return "WORSE on real people than no training: " + figures + ". It was chosen on rendered people; for "
                    + "real video serve the baseline (PUT /api/v1/model) or train on real faces (docs/real-faces.md)";
        }
        if (chosen.low() > baseline.high()) {
            return "better on real people than the zero-training baseline: " + figures;
        }
        return "not distinguishable from the zero-training baseline on real people: " + figures;
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "on real people (datasets/real-faces: %d faces of %d people no model saw, each "
                + "photo scored as served; macro-F1, 95 %% CI over people; chance 0.125):%n", r.faces(), r.people());
        for (Row row : r.rows()) {
            System.out.printf(Locale.ROOT, "  %-44s macro-F1 %.3f [%.3f, %.3f]  balanced accuracy %.3f%n",
                    row.modelId(), row.macroF1(), row.low(), row.high(), row.balancedAccuracy());
        }
        System.out.println("recommended model on real faces: " + r.verdict());
    }

    /** The shipped real set, when this checkout has it (a container image may not). */
    static Path shipped() {
        Path p = Path.of("datasets", "real-faces");
        return Files.isRegularFile(p.resolve("labels.csv")) ? p : null;
    }
}
