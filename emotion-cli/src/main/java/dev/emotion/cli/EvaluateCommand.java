package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code evaluate}: evaluates a study's models on evaluation-service, waits, prints the summary table. */
final class EvaluateCommand {

    static final String HELP = """
            Usage: ./emotion evaluate --study S [--models ID,ID...] [--report-only]
            Evaluates the study's registered models (all of them unless --models) on its held-out participants and
            prints accuracy / macro-F1 with 95 % CIs, calibration, latency and the recommended model.
            --report-only prints the latest report without evaluating again.
            Options: --url http://localhost:8083 (evaluation-service), --api-key K (or EMOTION_API_KEY)
            Alias: evaluate_all_models.""";

    private EvaluateCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("evaluate", argv, Set.of("study", "models", "url", "api-key"), Set.of("report-only"));
        String url = a.get("url", System.getenv().getOrDefault("EVALUATION_URL", "http://localhost:"
                + System.getenv().getOrDefault("EVALUATION_PORT", "8083"))).replaceAll("/+$", "");
        String study = a.required("study");
        ServiceClient client = new ServiceClient("evaluate", "evaluation-service", url,
                a.get("api-key", System.getenv("EMOTION_API_KEY")));
        if (!a.has("report-only")) {
            ObjectNode body = Contracts.mapper().createObjectNode();
            body.put("studyId", study);
            if (a.has("models")) {
                var ids = body.putArray("modelIds");
                for (String id : a.required("models").split(",")) {
                    ids.add(id.trim());
                }
            }
            JsonNode job = client.submit("/api/v1/evaluations", "application/json",
                    HttpRequest.BodyPublishers.ofString(body.toString()), "study " + study);
            if (job == null) {
                return 1;
            }
            String id = job.path("evaluationId").asText();
            int models = job.path("modelIds").size();
            ProgressBar bar = new ProgressBar("evaluate " + study, models, "models");
            JsonNode s;
            Stall stall = new Stall("evaluation " + id);
            do {
                Thread.sleep(1000);
                s = client.get("/api/v1/evaluations/" + id);
                stall.seen(s.path("state").asText() + ", " + s.path("models"));
                bar.update(s.path("models").size(), s.path("state").asText());
            } while (!Set.of("completed", "failed").contains(s.path("state").asText()));
            bar.finish(s.path("models").size(), s.path("state").asText());
            s.path("models").fields().forEachRemaining(e -> {
                if (e.getValue().asText().startsWith("failed")) {
                    System.err.println("  " + e.getKey() + ": " + e.getValue().asText());
                }
            });
            if (!"completed".equals(s.path("state").asText())) {
                System.err.println("evaluate: " + s.path("error").asText());
                return 1;
            }
        }
        JsonNode report = client.get("/api/v1/reports/" + study);
        if (!report.has("models")) {
            System.err.println("evaluate: " + report.path("detail").asText(report.toString()));
            return 1;
        }
        System.out.print(summary(report));
        System.out.println("report: " + url + "/reports/" + study + "/index.html");
        return 0;
    }

    /**
     * The summary users read in the terminal: first the cross-validation over people (the headline: every person is
     * tested once by a model that never saw them), then the labels' ceiling, then the test split's table.
     */
    static String summary(JsonNode report) {
        StringBuilder b = new StringBuilder();
        for (JsonNode cv : report.path("crossValidations")) {
            StringBuilder folds = new StringBuilder();
            cv.path("folds").forEach(f -> folds.append(String.format(Locale.ROOT, " %s %.3f",
                    f.path("participantId").asText(), f.path("metrics").path("macro_f1").asDouble(Double.NaN))));
            b.append(String.format(Locale.ROOT, "cross-validation %s/%s (%s, %d folds): macro-F1 %.3f +- %.3f, "
                    + "balanced accuracy %.3f +- %.3f, accuracy %.3f +- %.3f (macro-F1 per held-out group:%s)%n",
                    cv.path("architecture").asText(), cv.path("task").asText(), cv.path("scheme").asText(),
                    cv.path("folds").size(), cv.path("mean").path("macro_f1").asDouble(Double.NaN),
                    cv.path("std").path("macro_f1").asDouble(Double.NaN),
                    cv.path("mean").path("balanced_accuracy").asDouble(Double.NaN),
                    cv.path("std").path("balanced_accuracy").asDouble(Double.NaN),
                    cv.path("mean").path("accuracy").asDouble(Double.NaN),
                    cv.path("std").path("accuracy").asDouble(Double.NaN), folds));
        }
        JsonNode ceiling = report.path("ceiling");
        if (!ceiling.isMissingNode() && !ceiling.isNull()) {
            b.append("ceiling (AU oracle on the annotated expressions):");
            if (!ceiling.path("test").isNull() && !ceiling.path("test").isMissingNode()) {
                b.append(String.format(Locale.ROOT, " test split macro-F1 %.3f;",
                        ceiling.path("test").path("macroF1").asDouble()));
            }
            JsonNode cv = ceiling.path("crossValidated");
            if (!cv.isNull() && !cv.isMissingNode()) {
                b.append(String.format(Locale.ROOT, " %s macro-F1 %.3f +- %.3f", ceiling.path("scheme").asText(),
                        cv.path("macroF1Mean").asDouble(), cv.path("macroF1Sd").asDouble()));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "test split, scored as served (val: the validation macro-F1 the choice "
                + "was made on; photo / whole video: the same test faces as lone photos and with the mean of the "
                + "whole video, for models on participant baselines):%n%-44s %-22s %-22s %-7s %-15s %-8s %-8s %8s%n",
                "model", "accuracy [95% CI]", "macro-F1 [95% CI]", "val", "photo / whole", "ECE", "ECE(T)", "p50 ms"));
        for (JsonNode m : report.path("models")) {
            JsonNode cal = m.path("calibration");
            JsonNode protocols = m.path("protocols");
            String others = protocols.has("cold_start") ? String.format(Locale.ROOT, "%.3f / %.3f",
                    protocols.path("cold_start").path("macro_f1").asDouble(),
                    protocols.path("transductive").path("macro_f1").asDouble()) : "=";
            b.append(String.format(Locale.ROOT, "%-44s %-22s %-22s %-7s %-15s %-8s %-8s %8.1f%s%n",
                    m.path("modelId").asText(), withCi(m, "accuracy"), withCi(m, "macro_f1"),
                    num(m.path("validation").path("macro_f1")), others, num(cal.path("eceBefore")),
                    num(cal.path("eceAfter")), m.path("efficiency").path("latencyP50Ms").asDouble(),
                    m.path("participants").size() < 2 ? "  (one test participant: CIs over frames only)" : ""));
        }
        JsonNode rec = report.path("recommendation");
        b.append("recommended: ").append(rec.path("modelId").asText("none")).append(" - ")
                .append(rec.path("reason").asText()).append('\n');
        for (JsonNode n : report.path("notes")) {
            b.append("note: ").append(n.asText()).append('\n');
        }
        return b.toString();
    }

    private static String withCi(JsonNode m, String metric) {
        JsonNode v = m.path("metrics").path(metric);
        if (v.isMissingNode()) {
            return "-";
        }
        JsonNode ci = m.path("confidenceIntervals").path(metric);
        return ci.isMissingNode() ? String.format(Locale.ROOT, "%.3f", v.asDouble())
                : String.format(Locale.ROOT, "%.3f [%.3f,%.3f]", v.asDouble(), ci.path("low").asDouble(),
                ci.path("high").asDouble());
    }

    private static String num(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.3f", v.asDouble()) : "-";
    }
}
