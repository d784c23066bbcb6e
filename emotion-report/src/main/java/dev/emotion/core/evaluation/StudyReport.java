package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.training.CurvesChart;
import dev.emotion.core.training.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's comparison of its evaluated models, written in the seed's layout ({@code model_comparison.png},
 * {@code detailed_analysis.json}, {@code <model>_results.json}) plus {@code index.html} and the charts: McNemar's
 * test between every pair of classifiers scored on the same frames, and the deployment recommendation.
 */
public record StudyReport(String studyId, String evaluationId, Instant createdAt, List<ModelEvaluator.ModelResult> models,
                          List<McNemar> mcnemar, Recommendation recommendation,
                          Map<String, Map<String, String>> trainingCurves, List<String> notes,
                          List<dev.emotion.core.contract.CrossValidation> crossValidations, LabelCeiling ceiling) {

    public static StudyReport of(String studyId, String evaluationId, List<ModelEvaluator.ModelResult> models) {
        return of(studyId, evaluationId, models, List.of(), null);
    }

    /**
     * With the study's cross-validation results (from training-service), shown beside the test metrics, and the
     * AU-oracle ceiling of its labels (null: the annotations have no expression columns).
     */
    public static StudyReport of(String studyId, String evaluationId, List<ModelEvaluator.ModelResult> models,
                                 List<dev.emotion.core.contract.CrossValidation> crossValidations,
                                 LabelCeiling ceiling) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("study " + studyId + " has no evaluated model: train one first");
        }
        List<McNemar> tests = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int a = 0; a < models.size(); a++) {
            for (int b = a + 1; b < models.size(); b++) {
                ModelEvaluator.ModelResult x = models.get(a);
                ModelEvaluator.ModelResult y = models.get(b);
                if (x.correct() == null || y.correct() == null) {
                    continue;
                }
                if (!x.sampleIds().equals(y.sampleIds())) {
                    notes.add("McNemar skipped for " + x.modelId() + " vs " + y.modelId()
                            + ": they were scored on different frames");
                    continue;
                }
                McNemar t = McNemar.test(x.modelId(), y.modelId(), x.correct(), y.correct());
                tests.add(t);
                if (!t.significant()) {
                    notes.add(String.format(java.util.Locale.ROOT, "%s vs %s: the difference in accuracy is not "
                            + "significant (McNemar p = %.3f)", x.modelId(), y.modelId(), t.pValue()));
                }
            }
        }
        if (crossValidations.isEmpty()) {
            notes.add("no leave-one-participant-out cross-validation for this study yet: the test split alone is "
                    + "few people (./emotion cross-validate --study " + studyId + " --model <model>)");
        }
        return new StudyReport(studyId, evaluationId, Instant.now(), List.copyOf(models), tests,
                Recommendation.choose(models), new LinkedHashMap<>(), notes, List.copyOf(crossValidations), ceiling);
    }

    /** Writes every file into {@code dir} (charts of each model are expected under {@code dir/<model>/}). */
    public void write(Path dir, Map<String, List<Trainer.EpochReport>> curves) throws IOException {
        Files.createDirectories(dir);
        for (var e : curves.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            String safe = FileNames.safe(e.getKey());
            List<Path> pngs = CurvesChart.write(dir.resolve(safe), "training", e.getKey() + " training",
                    e.getValue());
            Map<String, String> rel = new LinkedHashMap<>();
            rel.put("loss", safe + "/" + pngs.get(0).getFileName());
            rel.put("metrics", safe + "/" + pngs.get(1).getFileName());
            trainingCurves.put(e.getKey(), rel);
        }
        Map<String, String> display = DisplayNames.of(models.stream().map(ModelEvaluator.ModelResult::modelId)
                .toList());
        List<String> names = models.stream().map(m -> display.get(m.modelId())).toList();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Bootstrap.Interval>> cis = new LinkedHashMap<>();
        for (String metric : List.of("accuracy", "macro_f1", "balanced_accuracy", "micro_f1")) {
            if (models.stream().noneMatch(m -> m.metrics().containsKey(metric))) {
                continue;
            }
            values.put(metric, models.stream().map(m -> m.metrics().getOrDefault(metric, 0.0)).toList());
            cis.put(metric, models.stream().map(m -> m.confidenceIntervals().get(metric)).toList());
        }
        if (!values.isEmpty()) {
            ReportCharts.comparison(dir.resolve("model_comparison.png"), names, values, cis);
        }
        for (var cv : crossValidations) {
            Map<String, List<Double>> perFold = new LinkedHashMap<>();
            for (String metric : List.of("accuracy", "macro_f1", "balanced_accuracy", "micro_f1")) {
                if (cv.mean().containsKey(metric)) {
                    perFold.put(metric, cv.folds().stream().map(f -> f.metrics().getOrDefault(metric, 0.0)).toList());
                }
            }
            if (!perFold.isEmpty()) {
                ReportCharts.bars(dir.resolve(crossValidationChart(cv)), cv.architecture().id() + " / "
                        + cv.task().id() + ": " + cv.scheme(), "held-out participants",
                        cv.folds().stream().map(dev.emotion.core.contract.CrossValidation.Fold::participantId)
                                .toList(), perFold);
            }
        }
        for (ModelEvaluator.ModelResult m : models) {
            Files.write(dir.resolve(FileNames.safe(m.modelId()) + "_results.json"),
                    Contracts.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        }
        Files.write(dir.resolve("detailed_analysis.json"),
                Contracts.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        Files.writeString(dir.resolve("index.html"), HtmlReport.render(this, !values.isEmpty()));
    }

    static String crossValidationChart(dev.emotion.core.contract.CrossValidation cv) {
        return "crossval-" + FileNames.safe(cv.architecture().id() + "-" + cv.task().id()) + ".png";
    }
}
