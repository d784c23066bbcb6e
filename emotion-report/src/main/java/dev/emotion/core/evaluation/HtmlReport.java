package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.AuOracle;
import dev.emotion.core.metrics.Bootstrap;

import dev.emotion.core.FileNames;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's report as one self-contained HTML page next to its PNG charts, from the Qute template
 * {@code report.html} beside this class (values escaped by Qute): this class only shapes the numbers into rows. A
 * small script at the end counts the images that loaded and says so on the page (a broken chart is visible, and
 * headless browsers can check it).
 */
final class HtmlReport {

    /** Qute, standalone: values are HTML-escaped; the template is parsed once. */
    private static final Engine ENGINE = Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
    private static final Template TEMPLATE = ENGINE.parse(template(), Variant.forContentType(Variant.TEXT_HTML));

    private HtmlReport() {
    }

    record CrossValidationRow(String id, String architecture, String task, String scheme, int folds, String accuracy,
                              String macroF1, String balancedAccuracy, String perFold) {
    }

    record Image(String file, String alt) {
    }

    record Cell(String value, String ci) {
    }

    record SummaryRow(String modelId, String anchor, String display, String architecture, String task, int testFrames,
                      List<Cell> cells, String auc, String ece, String p50, String throughput, String parameters) {
    }

    record CeilingRow(String kind, String who, String on, String macroF1, String balancedAccuracy, String accuracy) {
    }

    record Ceiling(int expressions, List<CeilingRow> rows) {
    }

    record SelectionRow(String modelId, int frames, String macroF1, String accuracy) {
    }

    record PairedRow(String pair, String difference, String ci, String p, String holm) {
    }

    record ProtocolRow(String modelId, String causal, String coldStart, String transductive) {
    }

    record McNemarRow(String pair, long firstOnly, long secondOnly, String p, String significant) {
    }

    record MetricRow(String name, String value, String ci) {
    }

    record ExpressionRow(String name, String facs, String mae, String pearson, String ccc) {
    }

    record AgreementRow(String name, int frames, String pearson, String ccc, String mae) {
    }

    record ClassRow(String label, String precision, String recall, String f1, long support, String auc) {
    }

    record ParticipantRow(String participant, List<String> values) {
    }

    record ModelSection(String modelId, String anchor, String description, List<MetricRow> metrics,
                        List<ExpressionRow> expressions, List<AgreementRow> agreement, String temperature,
                        List<ClassRow> perClass, List<String> participantColumns,
                        List<ParticipantRow> perParticipant, List<Image> images, String attentionNote,
                        List<String> notes) {
    }

    static String render(StudyReport r, boolean comparisonChart) {
        Recommendation rec = r.recommendation();
        Map<String, String> display = DisplayNames.of(r.models().stream().map(ModelEvaluator.ModelResult::modelId)
                .toList());
        return TEMPLATE.data("studyId", r.studyId())
                .data("evaluationId", r.evaluationId())
                .data("createdAt", String.valueOf(r.createdAt()))
                .data("recommended", rec.modelId() == null ? "none" : rec.modelId())
                .data("reason", rec.reason())
                .data("selection", r.models().stream().filter(m -> m.validation() != null
                        && m.validation().containsKey("macro_f1")).map(m -> new SelectionRow(m.modelId(),
                        m.selection() == null ? 0 : m.selection().truth().length, num(m.validation().get("macro_f1")),
                        num(m.validation().get("accuracy")))).toList())
                .data("paired", rec.pairedTests() == null ? List.of() : rec.pairedTests().stream()
                        .map(t -> new PairedRow(t.model() + " - " + t.against(), signed(t.difference()),
                                signed(t.interval().low()) + " to " + signed(t.interval().high()), num(t.pValue()),
                                t.holmP() == null ? "-" : num(t.holmP()))).toList())
                .data("protocols", r.models().stream().filter(m -> m.protocols() != null
                        && !m.protocols().isEmpty()).map(m -> new ProtocolRow(m.modelId(),
                        protocolF1(m, ModelEvaluator.Protocol.CAUSAL), protocolF1(m, ModelEvaluator.Protocol.COLD_START),
                        protocolF1(m, ModelEvaluator.Protocol.TRANSDUCTIVE))).toList())
                .data("crossValidations", crossValidations(r))
                .data("crossValidationCharts", r.crossValidations().stream()
                        .filter(cv -> cv.mean().containsKey("accuracy") || cv.mean().containsKey("micro_f1"))
                        .map(cv -> new Image(StudyReport.crossValidationChart(cv), cv.architecture().id()
                                + " cross-validation")).toList())
                .data("summary", r.models().stream().map(m -> summary(m, display.get(m.modelId()))).toList())
                .data("comparisonChart", comparisonChart)
                .data("ceiling", ceiling(r))
                .data("mcnemar", r.mcnemar().stream().map(t -> new McNemarRow(t.first() + " vs " + t.second(),
                        t.firstOnlyCorrect(), t.secondOnlyCorrect(), num(t.pValue()), t.significant() ? "yes" : "no"))
                        .toList())
                .data("notes", r.notes())
                .data("models", r.models().stream().map(m -> section(r, m)).toList())
                .render();
    }

    private static String protocolF1(ModelEvaluator.ModelResult m, ModelEvaluator.Protocol p) {
        Map<String, Double> metrics = m.protocols().get(p.id());
        return metrics == null ? "-" : num(metrics.get("macro_f1"));
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }

    private static String template() {
        try (var in = HtmlReport.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IllegalStateException("report.html is missing from emotion-report's resources");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The headline: per architecture, the cross-validation over people (every fold tested on people it never saw). */
    private static List<CrossValidationRow> crossValidations(StudyReport r) {
        List<CrossValidationRow> rows = new ArrayList<>();
        for (var cv : r.crossValidations()) {
            String perFoldMetric = cv.mean().containsKey("macro_f1") ? "macro_f1"
                    : cv.mean().containsKey("micro_f1") ? "micro_f1" : "mae";
            StringBuilder folds = new StringBuilder();
            for (var f : cv.folds()) {
                folds.append(f.participantId()).append(' ').append(num(f.metrics().get(perFoldMetric))).append("; ");
            }
            rows.add(new CrossValidationRow(cv.crossValidationId(), cv.architecture().id(), cv.task().id(),
                    cv.scheme(), cv.folds().size(), meanSd(cv, "accuracy"), meanSd(cv, "macro_f1"),
                    meanSd(cv, "balanced_accuracy"), folds.toString()));
        }
        return rows;
    }

    private static SummaryRow summary(ModelEvaluator.ModelResult m, String display) {
        String ece = m.calibration() == null ? "-"
                : num(m.calibration().eceBefore()) + " / " + num(m.calibration().eceAfter());
        return new SummaryRow(m.modelId(), FileNames.safe(m.modelId()), display, m.architecture().id(), m.task().id(),
                m.testSamples(), List.of(withCi(m, "accuracy"), withCi(m, "macro_f1"),
                withCi(m, "balanced_accuracy")), num(m.metrics().get("auc_macro")), ece,
                num(m.efficiency().latencyP50Ms()), num(m.efficiency().throughputImagesPerSecond()),
                String.format(Locale.ROOT, "%,d", m.efficiency().totalParameters()));
    }

    /** The AU oracle (what the labels allow) above the models, the zero-training baseline below them; null: none. */
    private static Ceiling ceiling(StudyReport r) {
        LabelCeiling c = r.ceiling();
        if (c == null) {
            return null;
        }
        List<CeilingRow> rows = new ArrayList<>();
        if (c.test() != null) {
            rows.add(new CeilingRow("test", "AU oracle (ceiling)", "test split, " + c.test().testSamples() + " frames",
                    num(c.test().macroF1()), num(c.test().balancedAccuracy()), num(c.test().accuracy())));
        }
        if (c.crossValidated() != null && !c.crossValidated().folds().isEmpty()) {
            AuOracle.CrossValidated cv = c.crossValidated();
            rows.add(new CeilingRow("crossval", "AU oracle (ceiling)", c.scheme() + ", " + cv.folds().size()
                    + " folds", num(cv.macroF1Mean()) + " ± " + num(cv.macroF1Sd()),
                    num(cv.balancedAccuracyMean()) + " ± " + num(cv.balancedAccuracySd()),
                    num(cv.accuracyMean()) + " ± " + num(cv.accuracySd())));
        }
        for (ModelEvaluator.ModelResult m : r.models()) {
            if (m.classification() != null) {
                boolean floor = m.architecture() == dev.emotion.core.contract.Architecture.FACE_EXPRESSION_BASELINE;
                rows.add(new CeilingRow(null, m.modelId() + (floor ? " (floor)" : ""), "test split, "
                        + m.testSamples() + " frames", num(m.metrics().get("macro_f1")),
                        num(m.metrics().get("balanced_accuracy")), num(m.metrics().get("accuracy"))));
            }
        }
        return new Ceiling(c.expressions().size(), rows);
    }

    private static ModelSection section(StudyReport r, ModelEvaluator.ModelResult m) {
        String description = m.architecture().id() + ", " + m.task().id() + ", held-out participants "
                + m.participants() + String.format(Locale.ROOT, "; %,d parameters (%,d trainable), %.1f MB on disk, "
                        + "latency p50 %.1f ms / p95 %.1f ms, peak memory growth %.0f MB (%s)",
                m.efficiency().totalParameters(), m.efficiency().trainableParameters(),
                m.efficiency().sizeBytes() / 1e6, m.efficiency().latencyP50Ms(), m.efficiency().latencyP95Ms(),
                m.efficiency().peakMemoryGrowthBytes() / 1e6, m.efficiency().machine());
        List<MetricRow> metrics = new ArrayList<>();
        m.metrics().forEach((k, v) -> {
            if (!k.contains(":")) {
                metrics.add(new MetricRow(k, num(v), ci(m.confidenceIntervals().get(k))));
            }
        });
        // expression_regression: one row per AFFDEX expression, with its FACS action unit
        List<ExpressionRow> expressions = new ArrayList<>();
        for (String x : dev.emotion.core.contract.EmotionLabels.AFFDEX_EXPRESSIONS) {
            if (m.metrics().containsKey("mae:" + x)) {
                expressions.add(new ExpressionRow(x, dev.emotion.core.contract.EmotionLabels.AFFDEX_FACS.get(x),
                        withInterval(m, "mae:" + x), withInterval(m, "pearson:" + x), withInterval(m, "ccc:" + x)));
            }
        }
        List<AgreementRow> agreement = m.affdexAgreement() == null ? List.of() : m.affdexAgreement().stream()
                .map(c -> new AgreementRow(c.name(), c.frames(), num(c.pearson()) + " " + ci(c.pearsonCi()),
                        num(c.ccc()) + " " + ci(c.cccCi()), Agreement.withInterval(c.mae(), c.maeCi(), 1))).toList();
        String temperature = m.calibration() == null || m.calibration().temperature() == null ? null
                : String.format(Locale.ROOT, "Temperature scaling (fitted on the validation split): T = %.3f, ECE "
                        + "%.3f -> %.3f.", m.calibration().temperature(), m.calibration().eceBefore(),
                m.calibration().eceAfter());
        List<ClassRow> perClass = m.classification() == null ? List.of() : m.classification().perClass().stream()
                .map(c -> new ClassRow(c.label(), num(c.precision()), num(c.recall()), num(c.f1()), c.support(),
                        num(c.auc()))).toList();
        List<String> columns = m.metrics().keySet().stream().filter(k -> !k.contains(":")).toList();
        List<ParticipantRow> perParticipant = new ArrayList<>();
        m.perParticipant().forEach((p, v) -> perParticipant.add(new ParticipantRow(p, columns.stream()
                .map(k -> num(v.get(k))).toList())));
        List<Image> images = new ArrayList<>();
        Map<String, String> curves = r.trainingCurves().get(m.modelId());
        if (curves != null) {
            curves.forEach((k, file) -> images.add(new Image(file, m.modelId() + " training " + k)));
        }
        m.charts().forEach((k, file) -> images.add(new Image(file, m.modelId() + " " + k)));
        return new ModelSection(m.modelId(), FileNames.safe(m.modelId()), description, metrics, expressions,
                agreement, temperature, perClass, columns, perParticipant, images,
                m.attention() == null ? null : m.attention().note(), m.notes());
    }

    private static String withInterval(ModelEvaluator.ModelResult m, String metric) {
        return num(m.metrics().get(metric)) + " " + ci(m.confidenceIntervals().get(metric));
    }

    private static Cell withCi(ModelEvaluator.ModelResult m, String metric) {
        Double v = m.metrics().get(metric);
        if (v == null) {
            return new Cell("-", null);
        }
        Bootstrap.Interval ci = m.confidenceIntervals().get(metric);
        // With one test participant the participant level of the bootstrap is degenerate: the CI is over frames.
        String level = m.participants().size() < 2 ? " (frames only: one test participant)" : "";
        return new Cell(num(v), ci == null ? null : ci(ci) + level);
    }

    private static String ci(Bootstrap.Interval ci) {
        return ci == null ? "-" : "[" + num(ci.low()) + ", " + num(ci.high()) + "]";
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String meanSd(dev.emotion.core.contract.CrossValidation cv, String metric) {
        Double m = cv.mean().get(metric);
        return m == null ? "-" : num(m) + " ± " + num(cv.std().get(metric));
    }
}
