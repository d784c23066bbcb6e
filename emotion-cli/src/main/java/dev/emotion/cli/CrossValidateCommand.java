package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cross-validate}: participant-grouped cross-validation on training-service (leave-one-participant-out, or K
 * groups with {@code --folds}), followed fold by fold, then a table.
 */
final class CrossValidateCommand {

    static final String HELP = """
            Usage: ./emotion cross-validate --study S --model cnn_simple|vit_scratch|resnet_pretrained|vit_pretrained
                                            [--folds K] [--task emotion_class] [--epochs N] [--batch-size N] [--seed N]
                                            [--learning-rate X] [--grad-accum N] [--no-augment]
                                            [--backbone B] [--weights F] [--unfreeze-last-block] [--allow-random-init]
            Trains one model per fold on everyone else (the next fold's people are held out for early stopping)
            and tests it on the fold's people; prints each fold, the mean and the standard deviation. A fold is one
            participant (leave-one-participant-out) unless --folds K deals the participants, shuffled with the seed,
            into K groups (3 <= K <= participants). --json FILE also writes the final result (with wallSeconds). The result goes to emotion.training.crossval and into the study's evaluation report.
            Options: --url http://localhost:8082 (training-service), --api-key K (or EMOTION_API_KEY)""";

    private CrossValidateCommand() {
    }

    static int run(List<String> argv) throws Exception {
        java.util.Set<String> options = new java.util.HashSet<>(TrainCommand.REQUEST_OPTIONS);
        options.add("folds");
        options.add("json");
        Args a = new Args("cross-validate", argv, options, TrainCommand.REQUEST_FLAGS);
        String url = TrainCommand.trainingUrl(a);
        ObjectNode body = TrainCommand.request(a);
        if (a.has("folds")) {
            body.put("folds", a.integer("folds", 5));
        }
        ServiceClient service = new ServiceClient("cross-validate", "training-service", url,
                a.get("api-key", System.getenv("EMOTION_API_KEY")));
        long started = System.nanoTime();
        JsonNode queued = service.submit("/api/v1/cross-validations", "application/json",
                HttpRequest.BodyPublishers.ofString(body.toString()), body.get("model").asText());
        if (queued == null) {
            return 1;
        }
        String id = queued.path("crossValidationId").asText();
        int total = queued.path("foldsTotal").asInt();
        System.err.println("cross-validate: " + id + " queued (" + total + " folds" + (a.has("folds") ? ""
                : ", one per participant") + ")");
        ProgressBar bar = new ProgressBar(body.get("model").asText() + (a.has("folds") ? " " + total + "-fold"
                : " LOPO"), total, "folds");
        String shown = null;
        Stall stall = new Stall("cross-validation " + id);
        long foldSteps = 0;
        String foldEpoch = "";
        for (int poll = 0; ; poll++) {
            Thread.sleep(1000);
            JsonNode s = service.get("/api/v1/cross-validations/" + id);
            String state = s.path("state").asText();
            int done = s.path("folds").size();
            if (poll % 30 == 0) {
                JsonNode trainings = service.get("/api/v1/trainings");
                foldSteps = foldSteps(trainings, id); // a fold can train longer than the stall limit: its steps count
                foldEpoch = runningFoldEpoch(trainings, id);
            }
            stall.seen(state + ", " + done + " folds done, " + foldSteps + " training steps in its folds, "
                    + s.path("message").asText());
            if (state.equals("failed") || state.equals("cancelled")) {
                bar.finish(done, state);
                System.err.println("cross-validate: " + state + ": " + s.path("message").asText());
                return 1;
            }
            if (state.equals("completed")) {
                bar.finish(done, "done");
                print(s);
                if (a.has("json")) {
                    ((ObjectNode) s).put("wallSeconds", (System.nanoTime() - started) / 1e9)
                            .put("command", "./emotion cross-validate " + String.join(" ", argv))
                            .put("date", java.time.Instant.now().toString()).put("commit", Results.commit())
                            .put("machine", Results.machine());
                    java.nio.file.Path file = java.nio.file.Path.of(a.required("json"));
                    if (file.getParent() != null) {
                        java.nio.file.Files.createDirectories(file.getParent());
                    }
                    java.nio.file.Files.write(file, dev.emotion.core.contract.Contracts.mapper()
                            .writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
                }
                return 0;
            }
            // a fold can train for many minutes: its epochs show too, not only the folds done
            String label = s.path("message").asText("") + (state.equals("running") ? foldEpoch : "");
            if (!label.equals(shown)) {
                shown = label;
                bar.update(done, label);
            }
        }
    }

    /** ", epoch e/n" of the cross-validation's fold that is training now, or "" when none reported an epoch yet. */
    static String runningFoldEpoch(JsonNode trainings, String id) {
        var runs = trainings.fields();
        while (runs.hasNext()) {
            var t = runs.next();
            JsonNode run = t.getValue();
            if (t.getKey().startsWith(id + "-") && "running".equals(run.path("state").asText())
                    && run.path("epoch").asInt() > 0) {
                return ", epoch " + run.path("epoch").asInt() + "/" + run.path("epochs").asInt();
            }
        }
        return "";
    }

    /** The optimizer steps the cross-validation's fold trainings have reported so far (their ids start with its id). */
    static long foldSteps(JsonNode all, String id) {
        long steps = 0;
        var trainings = all.fields();
        while (trainings.hasNext()) {
            var t = trainings.next();
            if (t.getKey().startsWith(id + "-")) {
                steps += t.getValue().path("step").asLong();
            }
        }
        return steps;
    }

    /** A fold's people ({@code a+b+c}) for the table: as they are when short, else the first and a count. */
    static String people(String joined) {
        String[] p = joined.split("\\+");
        return joined.length() <= 14 ? joined : p.length == 1 ? joined.substring(0, 13) + "~"
                : p[0].substring(0, Math.min(p[0].length(), 8)) + "+" + (p.length - 1) + " more";
    }

    static void print(JsonNode s) {
        List<String> metrics = new ArrayList<>();
        s.path("mean").fieldNames().forEachRemaining(metrics::add);
        metrics.removeIf(m -> !List.of("accuracy", "macro_f1", "balanced_accuracy", "micro_f1", "mae", "ccc")
                .contains(m));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-10s %7s", "held out",
                "early stop", "frames"));
        metrics.forEach(m -> head.append(String.format(Locale.ROOT, " %18s", m)));
        System.out.println(head);
        for (JsonNode f : s.path("folds")) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-10s %7d",
                    people(f.path("participantId").asText()), people(f.path("validationParticipantId").asText()),
                    f.path("testSamples").asInt()));
            metrics.forEach(m -> row.append(String.format(Locale.ROOT, " %18.3f", f.path("metrics").path(m)
                    .asDouble())));
            System.out.println(row);
        }
        StringBuilder mean = new StringBuilder(String.format(Locale.ROOT, "  %-14s %-10s %7s", "mean +- sd", "", ""));
        metrics.forEach(m -> mean.append(String.format(Locale.ROOT, " %10.3f +- %5.3f", s.path("mean").path(m)
                .asDouble(), s.path("std").path(m).asDouble())));
        System.out.println(mean);
    }
}
