package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.AuOracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.training.Trainer;
import dev.emotion.core.store.Sample;
import dev.emotion.core.store.SampleStore;
import dev.emotion.core.training.TrainingFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole evaluation path on real crops: two model directories (as the registry serves them), every chart, the
 * seed's files, the HTML report opened in headless Chromium with every image loaded.
 */
class StudyReportTest {

    @TempDir
    static Path dir;
    static List<Sample> test;
    static List<Sample> val;
    static List<Sample> train;

    @BeforeAll
    static void study() throws IOException {
        SampleStore store = TrainingFixtures.study(dir, 5, 4, 5);
        test = store.samples("fixture", Split.TEST, null);
        val = store.samples("fixture", Split.VAL, null);
        train = store.samples("fixture", Split.TRAIN, null);
        assertTrue(!test.isEmpty() && !val.isEmpty());
    }

    static Path modelDir(Architecture a, Task t) throws IOException {
        return dev.emotion.core.training.TrainingFixtures.modelDir(dir.resolve("models"), a, t);
    }

    @Test
    void reportForTwoClassifiersAndARegressor() throws Exception {
        ModelEvaluator evaluator = new ModelEvaluator(new ModelEvaluator.Options(200, 5, 1, 2, 2, 1));
        Path out = Path.of("target/study-report-test/model_comparison"); // kept for a look after the build
        List<ModelEvaluator.ModelResult> results = new ArrayList<>();
        for (Architecture a : List.of(Architecture.CNN_SIMPLE, Architecture.VIT_SCRATCH)) {
            try (TrainedModel model = TrainedModel.open(modelDir(a, Task.EMOTION_CLASS))) {
                results.add(evaluator.evaluate(model, test, val, out.resolve(model.modelId()), s -> { }));
            }
        }
        try (TrainedModel model = TrainedModel.open(modelDir(Architecture.CNN_SIMPLE, Task.ATTENTION_REGRESSION))) {
            results.add(evaluator.evaluate(model, test, val, out.resolve(model.modelId()), s -> { }));
        }
        try (TrainedModel model = TrainedModel.open(modelDir(Architecture.CNN_SIMPLE, Task.EXPRESSION_REGRESSION))) {
            results.add(evaluator.evaluate(model, test, val, out.resolve(model.modelId()), s -> { }));
        }
        try (TrainedModel model = TrainedModel.open(modelDir(Architecture.CNN_SIMPLE, Task.AFFECT))) {
            results.add(evaluator.evaluate(model, test, val, out.resolve(model.modelId()), s -> { }));
        }
        dev.emotion.core.contract.CrossValidation cv = new dev.emotion.core.contract.CrossValidation(1, "cv-fixture",
                "fixture", Architecture.CNN_SIMPLE, Task.EMOTION_CLASS, "leave-one-participant-out", List.of(
                new dev.emotion.core.contract.CrossValidation.Fold("p01", "p02", 300, 40,
                        Map.of("accuracy", 0.5, "macro_f1", 0.3, "balanced_accuracy", 0.4)),
                new dev.emotion.core.contract.CrossValidation.Fold("p02", "p03", 310, 38,
                        Map.of("accuracy", 0.3, "macro_f1", 0.1, "balanced_accuracy", 0.2))),
                Map.of("accuracy", 0.4, "macro_f1", 0.2, "balanced_accuracy", 0.3),
                Map.of("accuracy", 0.141, "macro_f1", 0.141, "balanced_accuracy", 0.141), Map.of(),
                java.time.Instant.now());
        LabelCeiling ceiling = LabelCeiling.of(train, val, test, List.of(cv), 1);
        StudyReport report = StudyReport.of("fixture", "eval-1", results, List.of(cv), ceiling);
        report.write(out, Map.of());

        ModelEvaluator.ModelResult cnn = results.get(0);
        assertEquals(test.size(), cnn.testSamples());
        assertNotNull(cnn.confidenceIntervals().get("macro_f1"));
        assertNotNull(cnn.calibration().temperature(), "temperature fitted on the validation split");
        assertTrue(cnn.efficiency().latencyP50Ms() > 0 && cnn.efficiency().throughputImagesPerSecond() > 0);
        assertEquals(1_818_696, cnn.efficiency().totalParameters());
        assertNotNull(results.get(1).attention(), "ViT attention maps");
        assertEquals(6, results.get(1).attention().headDiversity().size());
        assertNotNull(results.get(2).regression());
        assertEquals(List.of("joy", "anger", "fear", "disgust", "sadness", "surprise", "contempt"),
                cnn.affdexAgreement().stream().map(Agreement.Channel::name).toList(),
                "every emotion's trace is compared with AFFDEX's on the held-out frames");
        assertTrue(cnn.affdexAgreement().stream().allMatch(c -> c.frames() == test.size() && c.pearsonCi() != null));
        assertEquals(List.of(), results.get(2).affdexAgreement(), "an attention model has no emotion traces");
        ModelEvaluator.ModelResult expressions = results.get(3);
        assertTrue(expressions.metrics().get("expressions") >= 15, "every annotated AFFDEX expression is scored: "
                + expressions.metrics().get("expressions"));
        for (String metric : List.of("mae", "pearson", "ccc", "mae:Smile", "pearson:Smile", "ccc:Brow Furrow")) {
            assertTrue(expressions.metrics().containsKey(metric), metric);
            assertNotNull(expressions.confidenceIntervals().get(metric), "an interval for " + metric);
        }
        ModelEvaluator.ModelResult affect = results.get(4);
        assertEquals(cnn.sampleIds(), affect.sampleIds(), "the affect model is judged on the classifiers' frames");
        for (String metric : List.of("macro_f1", "balanced_accuracy", "expressions_mae", "expressions_ccc",
                "mae:Smile", "valence_mae", "valence_ccc", "engagement_mae", "attention_mae")) {
            assertTrue(affect.metrics().containsKey(metric), metric + " in " + affect.metrics());
            assertNotNull(affect.confidenceIntervals().get(metric), "an interval for " + metric);
        }
        assertNotNull(affect.classification(), "its dominant-emotion head has a confusion matrix");
        assertNotNull(affect.calibration().temperature(), "and is calibrated like a classifier");
        assertEquals(7, affect.affdexAgreement().size());
        assertEquals(3, report.mcnemar().size(), "each pair of the three dominant-emotion models on the same frames");
        // Untrained classifiers and no zero-training baseline beside them: nothing may be recommended.
        assertNull(report.recommendation().modelId(), report.recommendation().reason());
        assertTrue(report.recommendation().reason().startsWith("no model recommended"),
                report.recommendation().reason());
        assertEquals("validation", report.recommendation().selectedOn());
        assertNotNull(cnn.selection(), "the classifier's validation answers, for the choice");
        assertEquals(Trainer.usable(val, Task.EMOTION_CLASS).size(), cnn.selection().truth().length);
        assertTrue(cnn.validation().containsKey("macro_f1"));
        assertEquals(cnn.sampleIds().size(), cnn.testSamples());

        for (String f : List.of("model_comparison.png", "detailed_analysis.json", "index.html",
                "cnn_simple-emotion_class_results.json", "vit_scratch-emotion_class/attention.png",
                "cnn_simple-emotion_class/confusion.png", "cnn_simple-emotion_class/reliability.png",
                "cnn_simple-emotion_class/roc.png", "cnn_simple-emotion_class/grad-cam.png",
                "crossval-cnn_simple-emotion_class.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode detailed = Contracts.mapper().readTree(out.resolve("detailed_analysis.json").toFile());
        assertEquals(5, detailed.path("models").size());
        assertTrue(detailed.path("recommendation").path("modelId").isNull());
        assertTrue(detailed.path("recommendation").path("reason").asText().startsWith("no model recommended"));

        String dom = headlessChromium(out.resolve("index.html"));
        for (ModelEvaluator.ModelResult r : results) {
            assertTrue(dom.contains("data-model=\"" + r.modelId() + "\""), "summary lists " + r.modelId());
        }
        assertTrue(dom.contains("No model recommended"), "the page says so instead of naming a model");
        assertTrue(dom.contains("data-selection=\"cnn_simple-emotion_class\""), "the validation table");
        assertTrue(dom.contains("data-agreement=\"cnn_simple-emotion_class\""), "the AFFDEX agreement table");
        assertTrue(dom.contains("class=\"expressions\"") && dom.contains("<td>Smile</td><td>AU12</td>"),
                "the per-expression table names each expression's action unit");
        assertTrue(dom.contains("data-crossval=\"cv-fixture\"") && (dom.contains("0.400 &plusmn; 0.141")
                || dom.contains("0.400 ± 0.141")), "the cross-validation table with mean +- sd");
        assertEquals(1, detailed.path("crossValidations").size());
        // The labels' ceiling: the AU oracle reads the CSV's expression columns, which describe what is drawn.
        assertTrue(ceiling.expressions().size() >= 15, "expression columns: " + ceiling.expressions());
        assertTrue(ceiling.test().macroF1() >= 0.9, "AU oracle on the test split: " + ceiling.test());
        assertEquals(List.of(List.of("p01"), List.of("p02")), ceiling.crossValidated().folds().stream()
                .map(AuOracle.Fold::heldOut).toList(), "the oracle is cross-validated on the models' folds");
        assertTrue(dom.contains("data-ceiling=\"test\"") && dom.contains("data-ceiling=\"crossval\""),
                "the ceiling table");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("images loaded: (\\d+) of (\\d+)").matcher(dom);
        assertTrue(m.find(), "the page's image check ran");
        assertEquals(m.group(2), m.group(1), "every image loads");
        assertTrue(Integer.parseInt(m.group(2)) >= 10, "charts are on the page: " + m.group(0));
    }

    /**
     * A model trained on participant baselines is scored as served: each face's first frames minus the model's
     * cold-start baseline, then minus the running mean of its frames so far; the single-photo and whole-video
     * protocols beside it.
     */
    @Test
    void heldOutFacesAreScoredCausallyAsServed() throws Exception {
        Path d = modelDir(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS);
        Path withBaseline = dir.resolve("models/baseline-cnn");
        Files.createDirectories(withBaseline);
        Files.copy(d.resolve("model.params"), withBaseline.resolve("model.params"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                Contracts.mapper().readTree(d.resolve("model.json").toFile());
        json.put("modelId", "baseline-cnn");
        json.put("participantBaseline", true);
        Files.write(withBaseline.resolve("model.json"), Contracts.mapper().writeValueAsBytes(json));
        dev.emotion.core.training.MeanCrop.of(train).write(withBaseline.resolve(Trainer.BASELINE_FILE));
        List<dev.emotion.core.store.Sample> usable = Trainer.usable(test, Task.EMOTION_CLASS);
        try (TrainedModel model = TrainedModel.open(withBaseline)) {
            assertTrue(model.participantBaseline() && model.coldStartBaseline() != null);
            double[][] causal = model.probabilities(ModelEvaluator.score(model, usable,
                    ModelEvaluator.Protocol.CAUSAL));
            double[][] cold = model.probabilities(ModelEvaluator.score(model, usable,
                    ModelEvaluator.Protocol.COLD_START));
            double[][] whole = model.probabilities(ModelEvaluator.score(model, usable,
                    ModelEvaluator.Protocol.TRANSDUCTIVE));
            Map<String, Integer> seen = new java.util.HashMap<>();
            List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, usable.size()).boxed().toList());
            order.sort(java.util.Comparator.comparingLong(i -> usable.get(i).timestampMs()));
            int warmFrames = 0;
            for (int i : order) {
                int n = seen.merge(dev.emotion.core.training.BatchLoader.baselineKey(usable.get(i)), 1, Integer::sum);
                if (n < dev.emotion.core.training.MeanCrop.WARM_FRAMES) {
                    assertArrayEquals(cold[i], causal[i], 1e-5, "a face's frame " + n + " gets the cold-start baseline");
                } else {
                    warmFrames++;
                    assertFalse(java.util.Arrays.equals(cold[i], causal[i]), "frame " + n + " uses its own mean");
                }
            }
            assertTrue(warmFrames > 0, "some faces are seen long enough to warm up");
            assertTrue(java.util.stream.IntStream.range(0, usable.size())
                    .anyMatch(i -> !java.util.Arrays.equals(whole[i], causal[i])), "the whole-video mean differs");
            ModelEvaluator.ModelResult r = new ModelEvaluator(new ModelEvaluator.Options(50, 2, 1, 0, 0, 1))
                    .evaluate(model, test, val, Path.of("target/study-report-test/protocols"), s -> { });
            assertEquals(List.of("causal", "cold_start", "transductive"), List.copyOf(r.protocols().keySet()));
            assertEquals(r.metrics().get("macro_f1"), r.protocols().get("causal").get("macro_f1"),
                    "the headline is the causal figure");
        }
    }

    /** The DOM after load, from Debian's headless Chromium (installed by ./emotion test). */
    static String headlessChromium(Path html) throws IOException, InterruptedException {
        String binary = List.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new AssertionError("headless Chromium is not installed: run ./emotion test (or "
                        + "deploy/testdata/install-debian.sh chromium-headless-shell chromium-headless-shell) once"));
        Process p = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom",
                html.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium finished");
        return dom;
    }
}
