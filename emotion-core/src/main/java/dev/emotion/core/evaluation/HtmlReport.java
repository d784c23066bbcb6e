package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.AuOracle;
import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.ClassificationMetrics;

import dev.emotion.core.FileNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's report as one self-contained HTML page next to its PNG charts. A small script at the end counts the
 * images that loaded and says so on the page (a broken chart is visible, and headless browsers can check it).
 */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(StudyReport r, boolean comparisonChart) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation: ")
                .append(esc(r.studyId())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;")
                // a table wider than the page scrolls inside itself instead of pushing the page sideways
                .append("margin:1em 0;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}")
                .append(".rec{background:#e8f5e9;padding:1em;border-left:4px solid #2e7d32}")
                .append(".note{color:#8a6d3b}img{max-width:100%;margin:0.5em 0}</style></head><body>\n");
        h.append("<h1>Model evaluation: ").append(esc(r.studyId())).append("</h1>\n<p>Evaluation ")
                .append(esc(r.evaluationId())).append(", ").append(r.createdAt()).append(". Metrics on held-out ")
                .append("participants only; intervals are 95 % bootstrap CIs (participants, then frames).</p>\n");
        Recommendation rec = r.recommendation();
        h.append("<div class=\"rec\" id=\"recommendation\"><b>Recommended for deployment: ")
                .append(rec.modelId() == null ? "none" : esc(rec.modelId())).append("</b><br>")
                .append(esc(rec.reason())).append("</div>\n");
        crossValidation(h, r);
        h.append("<h2>Test split</h2>\n<table id=\"summary\"><tr><th>model</th><th>architecture</th><th>task</th>")
                .append("<th>test frames</th><th>accuracy</th><th>macro-F1</th><th>balanced acc.</th><th>AUC</th>")
                .append("<th>ECE (before / after T)</th><th>p50 ms</th><th>img/s (b32)</th><th>params</th></tr>\n");
        Map<String, String> display = DisplayNames.of(r.models().stream().map(ModelEvaluator.ModelResult::modelId)
                .toList());
        for (ModelEvaluator.ModelResult m : r.models()) {
            h.append("<tr data-model=\"").append(esc(m.modelId())).append("\"><td title=\"").append(esc(m.modelId()))
                    .append("\"><a href=\"#model-").append(esc(FileNames.safe(m.modelId()))).append("\">")
                    .append(esc(display.get(m.modelId()))).append("</a>")
                    .append("</td><td>").append(m.architecture().id()).append("</td><td>").append(m.task().id())
                    .append("</td><td>").append(m.testSamples()).append("</td><td>")
                    .append(withCi(m, "accuracy")).append("</td><td>").append(withCi(m, "macro_f1"))
                    .append("</td><td>").append(withCi(m, "balanced_accuracy")).append("</td><td>")
                    .append(num(m.metrics().get("auc_macro"))).append("</td><td>");
            if (m.calibration() != null) {
                h.append(num(m.calibration().eceBefore())).append(" / ").append(num(m.calibration().eceAfter()));
            } else {
                h.append("-");
            }
            h.append("</td><td>").append(num(m.efficiency().latencyP50Ms())).append("</td><td>")
                    .append(num(m.efficiency().throughputImagesPerSecond())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", m.efficiency().totalParameters()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (comparisonChart) {
            h.append(img("model_comparison.png", "model comparison"));
        }
        ceiling(h, r);
        if (!r.mcnemar().isEmpty()) {
            h.append("<h2>Statistical tests (McNemar, exact)</h2>\n<table><tr><th>pair</th><th>only first right</th>")
                    .append("<th>only second right</th><th>p</th><th>significant at 0.05</th></tr>\n");
            for (McNemar t : r.mcnemar()) {
                h.append("<tr><td>").append(esc(t.first())).append(" vs ").append(esc(t.second())).append("</td><td>")
                        .append(t.firstOnlyCorrect()).append("</td><td>").append(t.secondOnlyCorrect())
                        .append("</td><td>").append(num(t.pValue())).append("</td><td>")
                        .append(t.significant() ? "yes" : "no").append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        for (String note : r.notes()) {
            h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        for (ModelEvaluator.ModelResult m : r.models()) {
            h.append("<h2 id=\"model-").append(esc(FileNames.safe(m.modelId()))).append("\">")
                    .append(esc(m.modelId())).append("</h2>\n<p>").append(m.architecture().id()).append(", ")
                    .append(m.task().id()).append(", held-out participants ").append(esc(m.participants().toString()))
                    .append(String.format(Locale.ROOT, "; %,d parameters (%,d trainable), %.1f MB on disk, latency "
                                    + "p50 %.1f ms / p95 %.1f ms, peak memory growth %.0f MB (%s)</p>\n",
                            m.efficiency().totalParameters(), m.efficiency().trainableParameters(),
                            m.efficiency().sizeBytes() / 1e6, m.efficiency().latencyP50Ms(),
                            m.efficiency().latencyP95Ms(), m.efficiency().peakMemoryGrowthBytes() / 1e6,
                            esc(m.efficiency().machine())));
            h.append("<table><tr><th>metric</th><th>value</th><th>95 % CI</th></tr>\n");
            m.metrics().forEach((k, v) -> {
                if (!k.contains(":")) {
                    h.append("<tr><td>").append(esc(k)).append("</td><td>").append(num(v)).append("</td><td>")
                            .append(ci(m.confidenceIntervals().get(k))).append("</td></tr>\n");
                }
            });
            h.append("</table>\n");
            if (m.metrics().keySet().stream().anyMatch(k -> k.startsWith("mae:"))) {
                // expression_regression: one row per AFFDEX expression, with its FACS action unit
                h.append("<table class=\"expressions\"><tr><th>expression</th><th>FACS</th><th>MAE (0..1)</th>")
                        .append("<th>Pearson r</th><th>CCC</th></tr>\n");
                for (String x : dev.emotion.core.contract.EmotionLabels.AFFDEX_EXPRESSIONS) {
                    if (!m.metrics().containsKey("mae:" + x)) {
                        continue;
                    }
                    h.append("<tr><td>").append(esc(x)).append("</td><td>")
                            .append(esc(dev.emotion.core.contract.EmotionLabels.AFFDEX_FACS.get(x)));
                    for (String metric : List.of("mae:", "pearson:", "ccc:")) {
                        h.append("</td><td>").append(num(m.metrics().get(metric + x))).append(' ')
                                .append(ci(m.confidenceIntervals().get(metric + x)));
                    }
                    h.append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (m.affdexAgreement() != null && !m.affdexAgreement().isEmpty()) {
                h.append("<p>Agreement with AFFDEX over time on the held-out participants: each emotion's predicted ")
                        .append("probability against the annotated score of the same frames (0..100), as facial-")
                        .append("coding systems are compared; intervals resample participants, then frames.</p>\n")
                        .append("<table data-agreement=\"").append(esc(m.modelId())).append("\"><tr><th>emotion</th>")
                        .append("<th>frames</th><th>Pearson r</th><th>CCC</th><th>MAE</th></tr>\n");
                for (Agreement.Channel c : m.affdexAgreement()) {
                    h.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(c.frames())
                            .append("</td><td>").append(num(c.pearson())).append(' ').append(ci(c.pearsonCi()))
                            .append("</td><td>").append(num(c.ccc())).append(' ').append(ci(c.cccCi()))
                            .append("</td><td>").append(Agreement.withInterval(c.mae(), c.maeCi(), 1))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (m.calibration() != null && m.calibration().temperature() != null) {
                h.append(String.format(Locale.ROOT, "<p>Temperature scaling (fitted on the validation split): T = "
                        + "%.3f, ECE %.3f -> %.3f.</p>\n", m.calibration().temperature(), m.calibration().eceBefore(),
                        m.calibration().eceAfter()));
            }
            if (m.classification() != null) {
                h.append("<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>")
                        .append("<th>AUC</th></tr>\n");
                for (ClassificationMetrics.PerClass c : m.classification().perClass()) {
                    h.append("<tr><td>").append(esc(c.label())).append("</td><td>").append(num(c.precision()))
                            .append("</td><td>").append(num(c.recall())).append("</td><td>").append(num(c.f1()))
                            .append("</td><td>").append(c.support()).append("</td><td>").append(num(c.auc()))
                            .append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            h.append("<h3>Per participant</h3>\n<table><tr><th>participant</th>");
            List<String> keys = m.metrics().keySet().stream().filter(k -> !k.contains(":")).toList();
            keys.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
            h.append("</tr>\n");
            m.perParticipant().forEach((p, v) -> {
                h.append("<tr><td>").append(esc(p)).append("</td>");
                keys.forEach(k -> h.append("<td>").append(num(v.get(k))).append("</td>"));
                h.append("</tr>\n");
            });
            h.append("</table>\n");
            Map<String, String> curves = r.trainingCurves().get(m.modelId());
            if (curves != null) {
                curves.forEach((k, file) -> h.append(img(file, m.modelId() + " training " + k)));
            }
            m.charts().forEach((k, file) -> h.append(img(file, m.modelId() + " " + k)));
            if (m.attention() != null) {
                h.append("<p>").append(esc(m.attention().note())).append("</p>\n");
            }
            for (String note : m.notes()) {
                h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
            }
        }
        h.append("<p id=\"image-check\">images: checking...</p>\n<script>window.addEventListener('load',function(){")
                .append("var imgs=document.images,ok=0;for(var i=0;i<imgs.length;i++){if(imgs[i].complete&&")
                .append("imgs[i].naturalWidth>0)ok++;}var e=document.getElementById('image-check');")
                .append("e.textContent='images loaded: '+ok+' of '+imgs.length;e.dataset.loaded=ok;")
                .append("e.dataset.total=imgs.length;});</script>\n</body></html>\n");
        return h.toString();
    }

    /** The headline: per architecture, the cross-validation over people (every fold tested on people it never saw). */
    private static void crossValidation(StringBuilder h, StudyReport r) {
        if (r.crossValidations().isEmpty()) {
            return;
        }
        h.append("<h2 id=\"cross-validation\">Cross-participant validation (the headline)</h2>\n")
                .append("<p>One model per fold of held-out participants, trained on everyone else; mean &plusmn;")
                .append(" standard deviation over folds. These are the figures measured on people no model of the")
                .append(" fold saw; the test-split table below is one split of few people.</p>\n<table><tr><th>architecture</th><th>task</th>")
                .append("<th>scheme</th><th>folds</th>")
                .append("<th>accuracy</th><th>macro-F1</th><th>balanced acc.</th><th>per participant (macro-F1")
                .append(" or MAE)</th></tr>\n");
        for (var cv : r.crossValidations()) {
            String perFoldMetric = cv.mean().containsKey("macro_f1") ? "macro_f1"
                    : cv.mean().containsKey("micro_f1") ? "micro_f1" : "mae";
            StringBuilder folds = new StringBuilder();
            for (var f : cv.folds()) {
                folds.append(esc(f.participantId())).append(' ').append(num(f.metrics().get(perFoldMetric)))
                        .append("; ");
            }
            h.append("<tr data-crossval=\"").append(esc(cv.crossValidationId())).append("\"><td>")
                    .append(cv.architecture().id()).append("</td><td>").append(cv.task().id()).append("</td><td>")
                    .append(esc(cv.scheme())).append("</td><td>").append(cv.folds().size()).append("</td><td>")
                    .append(meanSd(cv, "accuracy"))
                    .append("</td><td>").append(meanSd(cv, "macro_f1")).append("</td><td>")
                    .append(meanSd(cv, "balanced_accuracy")).append("</td><td>").append(folds).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (var cv : r.crossValidations()) {
            if (cv.mean().containsKey("accuracy") || cv.mean().containsKey("micro_f1")) {
                h.append(img(StudyReport.crossValidationChart(cv), cv.architecture().id() + " cross-validation"));
            }
        }
    }

    /** The AU oracle (what the labels allow) above the models, the zero-training baseline below them. */
    private static void ceiling(StringBuilder h, StudyReport r) {
        LabelCeiling c = r.ceiling();
        h.append("<h2 id=\"ceiling\">Ceiling and floor</h2>\n");
        if (c == null) {
            h.append("<p class=\"note\">No AU oracle: the annotations have no facial-expression (action unit) ")
                    .append("columns, so the ceiling of what the labels allow cannot be measured.</p>\n");
            return;
        }
        h.append("<p>The AU oracle is a multinomial logistic regression from the annotated facial expressions (")
                .append(c.expressions().size()).append(" AFFDEX columns) to the dominant emotion: the ceiling of ")
                .append("what the labels allow. The zero-training face-api baseline is the floor.</p>\n")
                .append("<table id=\"ceiling-table\"><tr><th>who</th><th>on</th><th>macro-F1</th>")
                .append("<th>balanced acc.</th><th>accuracy</th></tr>\n");
        if (c.test() != null) {
            h.append("<tr data-ceiling=\"test\"><td>AU oracle (ceiling)</td><td>test split, ")
                    .append(c.test().testSamples()).append(" frames</td><td>").append(num(c.test().macroF1()))
                    .append("</td><td>").append(num(c.test().balancedAccuracy())).append("</td><td>")
                    .append(num(c.test().accuracy())).append("</td></tr>\n");
        }
        if (c.crossValidated() != null && !c.crossValidated().folds().isEmpty()) {
            AuOracle.CrossValidated cv = c.crossValidated();
            h.append("<tr data-ceiling=\"crossval\"><td>AU oracle (ceiling)</td><td>").append(esc(c.scheme()))
                    .append(", ").append(cv.folds().size()).append(" folds</td><td>")
                    .append(num(cv.macroF1Mean())).append(" &plusmn; ").append(num(cv.macroF1Sd()))
                    .append("</td><td>").append(num(cv.balancedAccuracyMean())).append(" &plusmn; ")
                    .append(num(cv.balancedAccuracySd())).append("</td><td>").append(num(cv.accuracyMean()))
                    .append(" &plusmn; ").append(num(cv.accuracySd())).append("</td></tr>\n");
        }
        for (ModelEvaluator.ModelResult m : r.models()) {
            if (m.classification() == null) {
                continue;
            }
            boolean floor = m.architecture() == dev.emotion.core.contract.Architecture.FACE_EXPRESSION_BASELINE;
            h.append("<tr><td>").append(esc(m.modelId())).append(floor ? " (floor)" : "").append("</td><td>test ")
                    .append("split, ").append(m.testSamples()).append(" frames</td><td>")
                    .append(num(m.metrics().get("macro_f1"))).append("</td><td>")
                    .append(num(m.metrics().get("balanced_accuracy"))).append("</td><td>")
                    .append(num(m.metrics().get("accuracy"))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String img(String file, String alt) {
        return "<div><img src=\"" + esc(file) + "\" alt=\"" + esc(alt) + "\"></div>\n";
    }

    private static String withCi(ModelEvaluator.ModelResult m, String metric) {
        Double v = m.metrics().get(metric);
        if (v == null) {
            return "-";
        }
        Bootstrap.Interval ci = m.confidenceIntervals().get(metric);
        // With one test participant the participant level of the bootstrap is degenerate: the CI is over frames.
        String level = m.participants().size() < 2 ? " (frames only: one test participant)" : "";
        return num(v) + (ci == null ? "" : " <small>" + ci(ci) + level + "</small>");
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
        return m == null ? "-" : num(m) + " &plusmn; " + num(cv.std().get(metric));
    }
}
