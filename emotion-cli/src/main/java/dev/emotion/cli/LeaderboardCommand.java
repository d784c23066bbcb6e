package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.metrics.AuOracle;
import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.evaluation.LabelAudit;
import dev.emotion.core.evaluation.ReportCharts;
import dev.emotion.core.evaluation.ResampledT;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelPolicy;
import dev.emotion.core.labels.LabelTrack;
import dev.emotion.core.synth.SynthPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code leaderboard}: renders a preset's study, ingests it through ingest-service, runs participant-grouped K-fold
 * cross-validation on training-service for each architecture and the zero-training baseline, computes the AU oracle
 * on the same folds from the study's labels, and prints one table (mean +- sd and a 95 % corrected resampled t
 * interval over folds and seeds, with paired per-fold differences against the baseline and the best),
 * with {@code leaderboard.json} and {@code leaderboard.png}. Resumable: a model whose result file is in the output
 * folder is not run again, and a study already rendered or ingested is reused.
 */
final class LeaderboardCommand {

    static final String HELP = """
            Usage: ./emotion leaderboard [--preset quick|standard|benchmark|hard] [--seeds 42[,7,1234]] [--folds 5]
                                         [--models cnn_simple,vit_scratch,resnet_pretrained,
                                                   resnet_pretrained_finetuned,vit_pretrained,
                                                   face_expression_baseline] [--epochs 7] [--fps 5] [--out DIR]
            Renders the preset's study, ingests it (ingest-service), cross-validates every model with K folds grouped
            by participant (training-service; each fold: one group tested, the next stops early, the rest train),
            and computes the AU oracle (the labels' ceiling) on the same folds. Prints macro-F1, balanced accuracy
            and accuracy per model (mean +- sd over every fold of every seed, 95 % Nadeau-Bengio corrected resampled
            t interval), each model's paired per-fold macro-F1 difference against the zero-training baseline and
            against the best (same interval), training time and img/s, and the
            identity probe (how well a linear classifier names the person from the model's features); writes
            leaderboard.json and leaderboard.png to --out (default experiments/leaderboard/<study>). Run again to
            resume: finished models are kept. resnet_pretrained uses ImageNet weights when present in the weights
            directory, else face-api's face-expression backbone; resnet_pretrained_finetuned is the same with the
            backbone's last stage trained too (cheap on the face-expression backbone, slow on ResNet-50 on a CPU);
            vit_pretrained is skipped without its weights. --seeds: one cross-validation per seed (its folds and
            training seed) on the study rendered with the first; every row is checked to use the same folds.""";

    /**
     * Epochs per fold unless --epochs says otherwise: 7 keeps `quick` within its 20 minutes on 2 cores, build
     * included (19.5 min; 8 took 22.4, 10 took 23.5 with vit_scratch alone 12.5), and early stopping rarely ended a
     * longer fold sooner.
     */
    static final int DEFAULT_EPOCHS = 7;

    /** resnet_pretrained with its backbone's last stage fine-tuned (--unfreeze-last-block), as its own row. */
    static final String RESNET_FINE_TUNED = "resnet_pretrained_finetuned";

    static final List<String> DEFAULT_MODELS = List.of("cnn_simple", "vit_scratch", "resnet_pretrained",
            RESNET_FINE_TUNED, "vit_pretrained", "face_expression_baseline");

    private LeaderboardCommand() {
    }

    static int run(List<String> argv) throws Exception {
        Args a = new Args("leaderboard", argv, Set.of("preset", "seed", "seeds", "folds", "models", "epochs", "fps",
                "out", "url", "api-key"), Set.of());
        SynthPreset preset;
        try {
            preset = SynthPreset.of(a.get("preset", "quick"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("leaderboard: " + e.getMessage());
        }
        List<Integer> seeds;
        try {
            seeds = Arrays.stream(a.get("seeds", String.valueOf(a.integer("seed", 42))).split(","))
                    .map(String::trim).map(Integer::parseInt).distinct().toList();
        } catch (NumberFormatException e) {
            throw new UsageException("leaderboard: --seeds takes integers separated by commas, e.g. 42,7,1234");
        }
        int seed = seeds.get(0);
        int folds = a.integer("folds", 5);
        if (folds < 3 || folds > preset.participants()) {
            throw new UsageException("leaderboard: --folds must be 3.." + preset.participants() + " for preset "
                    + preset.label() + " (" + preset.participants() + " participants); got " + folds);
        }
        List<String> models = Arrays.asList(a.get("models", String.join(",", DEFAULT_MODELS)).split(","));
        String study = "leaderboard-" + preset.label() + "-s" + seed;
        Path out = Path.of(a.get("out", "experiments/leaderboard/" + study));
        Path studyDir = out.resolve("study");
        String fps = a.get("fps", "5");
        long t0 = System.nanoTime();

        step("1/4 study " + study + " (preset " + preset.label() + ", seed " + seed + ") -> " + studyDir);
        if (rendered(studyDir, preset)) {
            System.out.println("already rendered: " + studyDir);
        } else if (SynthCommand.run(List.of("--preset", preset.label(), "--seed", String.valueOf(seed), "--out",
                studyDir.toString(), "--study", study)) != 0) {
            return 1;
        }
        step("2/4 ingest at " + fps + " fps (ingest-service) and wait for training-service's store");
        ServiceClient ingest = new ServiceClient("leaderboard", "ingest-service", System.getenv().getOrDefault(
                "INGEST_URL", "http://localhost:" + System.getenv().getOrDefault("INGEST_PORT", "8081")),
                a.get("api-key", System.getenv("EMOTION_API_KEY")));
        JsonNode known = ingest.get("/api/v1/studies/" + study);
        if (known.path("participants").size() == preset.participants()) {
            System.out.println("already ingested: " + study);
        } else if (IngestCommand.run(List.of("--study", study, "--study-dir", studyDir.toString(), "--max-fps", fps,
                "--seed", String.valueOf(seed))) != 0) {
            return 1;
        }
        String trainingUrl = TrainCommand.trainingUrl(a);
        ServiceClient training = new ServiceClient("leaderboard", "training-service", trainingUrl,
                a.get("api-key", System.getenv("EMOTION_API_KEY")));
        awaitStore(training, study);

        step("3/4 " + folds + "-fold cross-validation grouped by participant, per model (training-service)");
        Files.createDirectories(out);
        for (String model : models) {
          for (int s : seeds) {
            Path result = out.resolve(resultFile(model, s, seed));
            if (Files.isRegularFile(result)) {
                System.out.println(model + " seed " + s + ": done earlier (" + result + ")");
                continue;
            }
            String arch = model.equals(RESNET_FINE_TUNED) ? "resnet_pretrained" : model;
            List<String> cv = new ArrayList<>(List.of("--study", study, "--model", arch, "--folds",
                    String.valueOf(folds), "--seed", String.valueOf(s), "--json", result.toString(), "--url",
                    trainingUrl));
            if (!model.equals("face_expression_baseline")) {
                cv.addAll(List.of("--epochs", a.get("epochs", String.valueOf(DEFAULT_EPOCHS))));
            }
            if (model.equals(RESNET_FINE_TUNED)) {
                cv.add("--unfreeze-last-block");
            }
            if (arch.equals("resnet_pretrained") && !Files.isRegularFile(weightsDir().resolve(
                    "resnet50.safetensors"))) {
                System.out.println(model + ": no ImageNet ResNet-50 at " + weightsDir()
                        + "; using face-api's face-expression backbone (offline)");
                cv.addAll(List.of("--backbone", "face-expression"));
            }
            if (model.equals("vit_pretrained") && !Files.isRegularFile(weightsDir().resolve("vit_b_16.safetensors"))
                    && !Files.isRegularFile(weightsDir().resolve("vit_base_patch16_224.safetensors"))) {
                System.out.println("vit_pretrained: skipped: no ImageNet ViT-B/16 weights in " + weightsDir()
                        + " (README: 'Pretrained weights')");
                continue;
            }
            System.out.println("== " + model + " (seed " + s + ")");
            if (CrossValidateCommand.run(cv) != 0) {
                System.err.println("leaderboard: " + model + " seed " + s + " failed; the others go on (run again to"
                        + " retry it)");
            }
          }
        }

        step("4/4 the table");
        ObjectNode board = table(out, studyDir, models, Double.parseDouble(fps), seeds, preset, folds);
        board.put("minutes", (System.nanoTime() - t0) / 6e10).put("command", "./emotion leaderboard "
                + String.join(" ", argv)).put("date", java.time.Instant.now().toString())
                .put("commit", Results.commit()).put("machine", Results.machine());
        Files.write(out.resolve("leaderboard.json"), Contracts.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(board));
        System.out.println("leaderboard: " + out.resolve("leaderboard.json") + ", " + out.resolve("leaderboard.png"));
        return 0;
    }

    /** The result file of one model's cross-validation with one seed (the first seed keeps the older name). */
    static String resultFile(String model, int seed, int firstSeed) {
        return seed == firstSeed ? model + ".cv.json" : model + ".s" + seed + ".cv.json";
    }

    /** One fold's scores: the seed, the held-out participants (sorted), the metrics. */
    record FoldScore(int seed, List<String> heldOut, JsonNode metrics) {
        String key() {
            return seed + "/" + String.join("+", heldOut);
        }
    }

    /**
     * Checks that every model was cross-validated on the same folds for each seed (the rows' intervals and paired
     * differences mean nothing otherwise).
     *
     * @throws IllegalStateException naming the model and seed whose folds differ
     */
    static void checkSameFolds(Map<String, List<FoldScore>> perModel) {
        Map<Integer, List<List<String>>> reference = new TreeMap<>();
        Map<Integer, String> referenceModel = new TreeMap<>();
        for (var e : perModel.entrySet()) {
            Map<Integer, List<List<String>>> own = new TreeMap<>();
            e.getValue().forEach(f -> own.computeIfAbsent(f.seed(), k -> new ArrayList<>()).add(f.heldOut()));
            for (var s : own.entrySet()) {
                List<List<String>> folds = s.getValue().stream().sorted(java.util.Comparator.comparing(Object::toString))
                        .toList();
                List<List<String>> ref = reference.putIfAbsent(s.getKey(), folds);
                referenceModel.putIfAbsent(s.getKey(), e.getKey());
                if (ref != null && !ref.equals(folds)) {
                    throw new IllegalStateException("leaderboard: " + e.getKey() + " (seed " + s.getKey() + ") was "
                            + "cross-validated on other folds than " + referenceModel.get(s.getKey()) + ": " + folds
                            + " vs " + ref + "; delete its result file and run again");
                }
            }
        }
    }

    /** The table from the saved cross-validations and the AU oracle on their folds; prints it, returns the JSON. */
    static ObjectNode table(Path out, Path studyDir, List<String> models, double fps, List<Integer> seeds,
                            SynthPreset preset, int k) throws Exception {
        ObjectNode board = Contracts.mapper().createObjectNode();
        board.put("preset", preset.label()).put("folds", k).put("fps", fps);
        ArrayNode seedList = board.putArray("seeds");
        seeds.forEach(seedList::add);
        board.put("interval", "95 % corrected resampled t (Nadeau & Bengio 2003) over every fold of every seed, "
                + "n_test/n_train = 1/(K-1)");
        double ratio = 1.0 / (k - 1);
        ArrayNode rows = board.putArray("rows");
        List<List<String>> groups = null;
        Map<String, List<FoldScore>> perModel = new LinkedHashMap<>();
        Map<String, JsonNode> firstCv = new LinkedHashMap<>();
        for (String model : models) {
            List<FoldScore> fs = new ArrayList<>();
            double seconds = 0;
            for (int s : seeds) {
                Path file = out.resolve(resultFile(model, s, seeds.get(0)));
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                JsonNode cv = Contracts.mapper().readTree(file.toFile());
                firstCv.putIfAbsent(model, cv);
                seconds += cv.path("wallSeconds").asDouble();
                for (JsonNode f : cv.path("folds")) {
                    List<String> heldOut = Arrays.stream(f.path("participantId").asText().split("\\+")).sorted()
                            .toList();
                    fs.add(new FoldScore(s, heldOut, f.path("metrics")));
                }
                if (groups == null) {
                    List<List<String>> g = new ArrayList<>();
                    cv.path("folds").forEach(f -> g.add(Arrays.asList(f.path("participantId").asText()
                            .split("\\+"))));
                    groups = g;
                }
            }
            if (fs.isEmpty()) {
                continue;
            }
            perModel.put(model, fs);
            ObjectNode row = rows.addObject();
            row.put("model", model).put("crossValidationId", firstCv.get(model).path("crossValidationId").asText());
            row.put("scores", fs.size());
            for (String metric : List.of("macro_f1", "balanced_accuracy", "accuracy")) {
                put(row, metric, fs.stream().mapToDouble(f -> f.metrics().path(metric).asDouble()).toArray(), ratio);
            }
            row.put("trainingSeconds", seconds);
            row.put("trainImagesPerSecond", fs.stream().mapToDouble(f -> f.metrics()
                    .path("train_images_per_second").asDouble()).average().orElse(0));
            row.put("epochsTrained", fs.stream().mapToDouble(f -> f.metrics().path("epochs_trained")
                    .asDouble()).average().orElse(0));
            if (fs.stream().allMatch(f -> f.metrics().has("identity_probe_accuracy"))) {
                put(row, "identity_probe_accuracy", fs.stream().mapToDouble(f -> f.metrics()
                        .path("identity_probe_accuracy").asDouble()).toArray(), ratio);
                row.put("identityProbeChance", fs.get(0).metrics().path("identity_probe_chance").asDouble());
                for (String beside : List.of("identity_probe_raw_pixels", "identity_probe_random_init")) {
                    if (fs.stream().allMatch(f -> f.metrics().has(beside))) {
                        row.put(beside, fs.stream().mapToDouble(f -> f.metrics().path(beside).asDouble()).average()
                                .orElse(Double.NaN));
                    }
                }
            }
        }
        checkSameFolds(perModel);
        differences(rows, perModel, ratio);
        if (groups != null) {
            Map<String, LabelTrack> tracks = new TreeMap<>();
            try (var files = Files.list(studyDir)) {
                for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                    tracks.put(csv.getFileName().toString().replace(".csv", ""), new AffdexCsvReader().read(csv));
                }
            }
            AuOracle.CrossValidated oracle = LabelAudit.oracle(tracks, fps, LabelPolicy.DEFAULT, groups);
            ObjectNode row = rows.addObject();
            row.put("model", "au_oracle (ceiling)").put("scores", oracle.folds().size());
            put(row, "macro_f1", oracle.folds().stream().mapToDouble(AuOracle.Fold::macroF1).toArray(), ratio);
            put(row, "balanced_accuracy", oracle.folds().stream().mapToDouble(AuOracle.Fold::balancedAccuracy)
                    .toArray(), ratio);
            put(row, "accuracy", oracle.folds().stream().mapToDouble(AuOracle.Fold::accuracy).toArray(), ratio);
            row.put("trainingSeconds", 0).put("trainImagesPerSecond", 0).put("epochsTrained", 0);
        }
        print(rows);
        chart(out.resolve("leaderboard.png"), rows, preset, k);
        return board;
    }

    /**
     * Each model's macro-F1 minus the zero-training baseline's and minus the best trained model's, fold by fold
     * (same seed, same held-out people), with the corrected interval over those differences.
     */
    static void differences(ArrayNode rows, Map<String, List<FoldScore>> perModel, double ratio) {
        String best = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (JsonNode r : rows) {
            String m = r.path("model").asText();
            double mean = r.path("macro_f1").path("mean").asDouble();
            if (!m.equals("face_expression_baseline") && mean > bestMean) {
                best = m;
                bestMean = mean;
            }
        }
        for (JsonNode r : rows) {
            String m = r.path("model").asText();
            for (var against : List.of(Map.entry("vsBaseline", "face_expression_baseline"),
                    Map.entry("vsBest", best == null ? "" : best))) {
                if (against.getValue().equals(m) || !perModel.containsKey(against.getValue())) {
                    continue;
                }
                Map<String, Double> theirs = new LinkedHashMap<>();
                perModel.get(against.getValue()).forEach(f -> theirs.put(f.key(), f.metrics().path("macro_f1")
                        .asDouble()));
                double[] d = perModel.get(m).stream().filter(f -> theirs.containsKey(f.key()))
                        .mapToDouble(f -> f.metrics().path("macro_f1").asDouble() - theirs.get(f.key())).toArray();
                ResampledT.Summary sum = ResampledT.corrected(d, ratio);
                ((ObjectNode) r).putObject(against.getKey()).put("model", against.getValue())
                        .put("mean", sum.mean()).put("ciLow", sum.low()).put("ciHigh", sum.high())
                        .put("pairs", sum.n());
            }
        }
    }

    private static void put(ObjectNode row, String metric, double[] scores, double ratio) {
        ObjectNode m = row.putObject(metric);
        ResampledT.Summary sum = ResampledT.corrected(scores, ratio);
        m.put("mean", sum.mean()).put("sd", sum.sd()).put("ciLow", sum.low()).put("ciHigh", sum.high());
        ArrayNode f = m.putArray("folds");
        Arrays.stream(scores).forEach(f::add);
    }

    private static void print(ArrayNode rows) {
        System.out.printf(Locale.ROOT, "%n| %-27s | %-28s | %-24s | %-24s | %-28s | %-28s | %8s | %6s | %6s | %-48s |%n",
                "model", "macro-F1 mean +- sd [95% CI]", "- baseline [95% CI]", "- best [95% CI]", "balanced acc.",
                "accuracy", "train s", "img/s", "epochs", "identity probe");
        System.out.println("|" + "-".repeat(29) + "|" + "-".repeat(30) + "|" + "-".repeat(26) + "|" + "-".repeat(26)
                + "|" + "-".repeat(30) + "|" + "-".repeat(30) + "|" + "-".repeat(10) + "|" + "-".repeat(8) + "|"
                + "-".repeat(8) + "|" + "-".repeat(50) + "|");
        for (JsonNode r : rows) {
            JsonNode probe = r.path("identity_probe_accuracy");
            String probeCell = probe.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.2f (pixels %.2f, untrained "
                    + "%.2f, chance %.2f)", probe.path("mean").asDouble(), r.path("identity_probe_raw_pixels")
                    .asDouble(Double.NaN), r.path("identity_probe_random_init").asDouble(Double.NaN),
                    r.path("identityProbeChance").asDouble());
            System.out.printf(Locale.ROOT, "| %-27s | %-28s | %-24s | %-24s | %-28s | %-28s | %8.0f | %6.0f | %6.1f | "
                            + "%-48s |%n", r.path("model").asText(), cell(r.path("macro_f1")),
                    difference(r.path("vsBaseline")), difference(r.path("vsBest")), cell(r.path("balanced_accuracy")),
                    cell(r.path("accuracy")), r.path("trainingSeconds").asDouble(),
                    r.path("trainImagesPerSecond").asDouble(), r.path("epochsTrained").asDouble(), probeCell);
        }
        System.out.println("identity probe: accuracy of a linear classifier naming the held-out participant from the "
                + "model's penultimate features (each fold's test people only; first vs second half of each person's "
                + "frames), beside the same probe on raw pooled pixels and on the untrained net; chance = 1 / people "
                + "per fold. A description of the features, not a ranking.");
    }

    private static String difference(JsonNode d) {
        return d.isMissingNode() ? "-" : String.format(Locale.ROOT, "%+.3f [%+.2f, %+.2f]", d.path("mean").asDouble(),
                d.path("ciLow").asDouble(), d.path("ciHigh").asDouble());
    }

    private static String cell(JsonNode m) {
        return String.format(Locale.ROOT, "%.3f +- %.3f [%.2f, %.2f]", m.path("mean").asDouble(),
                m.path("sd").asDouble(), m.path("ciLow").asDouble(), m.path("ciHigh").asDouble());
    }

    private static void chart(Path file, ArrayNode rows, SynthPreset preset, int k) throws Exception {
        List<String> names = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, List<Bootstrap.Interval>> cis = new LinkedHashMap<>();
        for (String metric : List.of("macro_f1", "balanced_accuracy", "accuracy")) {
            values.put(metric, new ArrayList<>());
            cis.put(metric, new ArrayList<>());
        }
        for (JsonNode r : rows) {
            names.add(r.path("model").asText());
            for (String metric : values.keySet()) {
                JsonNode m = r.path(metric);
                values.get(metric).add(m.path("mean").asDouble());
                cis.get(metric).add(new Bootstrap.Interval(m.path("ciLow").asDouble(), m.path("ciHigh").asDouble()));
            }
        }
        if (!names.isEmpty()) {
            ReportCharts.comparison(file, names, values, cis);
        }
    }

    static void awaitStore(ServiceClient training, String study) throws Exception {
        for (int i = 0; i < 480; i++) {
            JsonNode d = training.get("/api/v1/datasets/" + study);
            Map<String, Long> want = new TreeMap<>();
            d.path("study").path("participants").forEach(p -> want.merge(p.path("split").asText(),
                    p.path("labelled").asLong(), Long::sum));
            boolean stored = d.path("trainable").asBoolean() && want.entrySet().stream()
                    .allMatch(e -> d.path("storedSamples").path(e.getKey()).asLong() >= e.getValue());
            if (stored) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("training-service has not stored study " + study + " after 240 s");
    }

    static Path weightsDir() {
        String models = System.getenv().getOrDefault("EMOTION_MODELS_DIR", System.getProperty("user.home")
                + "/.cache/emotion/models");
        return Path.of(System.getenv().getOrDefault("EMOTION_WEIGHTS_DIR", models + "/imagenet"));
    }

    static void step(String s) {
        System.out.println();
        System.out.println("== " + s);
    }

    /** Every participant's video and labels are there (a video appears only once it is completely written). */
    private static boolean rendered(Path dir, SynthPreset p) {
        for (int i = 0; i < p.participants(); i++) {
            String id = dev.emotion.core.synth.SyntheticStudy.participantId(i);
            if (!Files.isRegularFile(dir.resolve(id + ".mp4")) || !Files.isRegularFile(dir.resolve(id + ".csv"))) {
                return false;
            }
        }
        return true;
    }
}
