package dev.emotion.core.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./emotion fuzz [--seconds N] [--targets A,B] [--out DIR]}: runs every fuzz target of {@link Fuzzing#TARGETS}
 * under Jazzer (coverage-guided, libFuzzer's engine) for N seconds each, one JVM per target (Jazzer fuzzes one
 * target per process), starting from the committed inputs in src/test/resources/fuzz/TARGET and growing a corpus in
 * DIR/TARGET/corpus (kept between runs). Prints one table (executions, executions/s, distinct inputs kept,
 * findings) and writes DIR/fuzz.json; exits 1 when a target found an input it cannot handle: an unexpected
 * exception, an input slower than 10 s, or memory over 2 GB (the input is saved in DIR/TARGET/ as crash-*,
 * timeout-* or oom-*; once fixed, commit it to the target's folder as a regression input).
 * Hand-written because Jazzer's JUnit integration fuzzes a single test per run and prints no summary.
 */
public final class FuzzRunner {

    private static final Pattern STAT = Pattern.compile("stat::(\\w+):\\s+(\\d+)");

    private FuzzRunner() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 60;
        List<String> only = null;
        Path out = Path.of(".emotion/fuzz");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--targets" -> only = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("fuzz: unknown option " + args[i] + " (--seconds N, --targets A,B, --out DIR)");
                    System.exit(2);
                }
            }
        }
        if (seconds < 1) {
            System.err.println("fuzz: --seconds must be at least 1");
            System.exit(2);
        }
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> t : Fuzzing.TARGETS) {
            if (only == null || only.contains(t.getSimpleName())) {
                targets.add(t);
            }
        }
        if (targets.isEmpty()) {
            System.err.println("fuzz: no target named " + only + "; targets: " + Fuzzing.TARGETS.stream()
                    .map(Class::getSimpleName).toList());
            System.exit(2);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Class<?> t = targets.get(i);
            System.err.printf(Locale.ROOT, "fuzz: [%d/%d] %s for %d s...%n", i + 1, targets.size(), t.getSimpleName(),
                    seconds);
            rows.add(run(t, seconds, out.resolve(t.getSimpleName())));
        }
        System.out.printf(Locale.ROOT, "%-20s %8s %11s %9s %9s %9s%n", "target", "seconds", "executions", "exec/s",
                "inputs", "findings");
        int findings = 0;
        for (Map<String, Object> r : rows) {
            System.out.printf(Locale.ROOT, "%-20s %8d %11d %9d %9d %9d%n", r.get("target"), r.get("seconds"),
                    r.get("executions"), r.get("execsPerSecond"), r.get("corpusInputs"), r.get("findings"));
            findings += (Integer) r.get("findings");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("secondsPerTarget", seconds);
        summary.put("jazzer", com.code_intelligence.jazzer.Jazzer.class.getPackage().getImplementationVersion());
        summary.put("targets", rows);
        Files.createDirectories(out);
        Files.writeString(out.resolve("fuzz.json"), dev.emotion.core.contract.Contracts.mapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        if (findings > 0) {
            System.err.println("fuzz: " + findings + " finding(s): the inputs are in " + out + "/<target>/ (crash-*, "
                    + "timeout-*, oom-*); each target's log says what went wrong (fuzz.log)");
            System.exit(1);
        }
    }

    private static Map<String, Object> run(Class<?> target, int seconds, Path dir) throws IOException,
            InterruptedException {
        Path corpus = dir.resolve("corpus");
        Files.createDirectories(corpus);
        Path seeds = Path.of("src/test/resources/fuzz").resolve(target.getSimpleName()).toAbsolutePath();
        Path log = dir.resolve("fuzz.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer", "--target_class=" + target.getName(),
                "--instrumentation_includes=dev.emotion.**", "-max_total_time=" + seconds, "-timeout=10",
                "-rss_limit_mb=2048", "-print_final_stats=1", "-artifact_prefix=" + dir.toAbsolutePath() + "/",
                corpus.toAbsolutePath().toString(), seeds.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "2"); // native decoders' arenas otherwise count as the input's memory
        long started = System.nanoTime();
        int rc = pb.start().waitFor();
        double took = (System.nanoTime() - started) / 1e9;
        Map<String, Long> stats = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            Matcher m = STAT.matcher(line);
            if (m.find()) {
                stats.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        List<String> found;
        try (Stream<Path> files = Files.list(dir)) {
            found = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("crash-")
                    || n.startsWith("timeout-") || n.startsWith("oom-")).sorted().toList();
        }
        long inputs;
        try (Stream<Path> files = Files.list(corpus)) {
            inputs = files.count();
        }
        long executions = stats.getOrDefault("number_of_executed_units", 0L);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", target.getSimpleName());
        row.put("seconds", seconds);
        row.put("executions", executions);
        row.put("execsPerSecond", executions / seconds);
        row.put("wallSeconds", Math.round(took));
        row.put("corpusInputs", inputs);
        row.put("newInputs", stats.getOrDefault("new_units_added", 0L));
        row.put("peakRssMb", stats.getOrDefault("peak_rss_mb", 0L));
        row.put("findings", found.size());
        row.put("findingFiles", found);
        row.put("exitCode", rc);
        if (rc != 0 && found.isEmpty()) {
            throw new IllegalStateException("Jazzer exited with " + rc + " on " + target.getSimpleName()
                    + " without a finding: see " + log);
        }
        return row;
    }
}
