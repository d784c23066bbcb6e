package dev.emotion.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The benchmark suite's one table: when EMOTION_BENCH_SUMMARY names a file, each benchmark appends its headline
 * figures there as tab-separated rows (area, measurement, result); bench/all.sh prints them together.
 */
final class BenchSummary {

    private BenchSummary() {
    }

    static void add(String area, String measurement, String result) {
        String file = System.getenv("EMOTION_BENCH_SUMMARY");
        if (file == null || file.isBlank()) {
            return;
        }
        String row = area + "\t" + measurement.replace('\t', ' ') + "\t" + result.replace('\t', ' ') + "\n";
        try {
            Files.writeString(Path.of(file), row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("bench: cannot append to " + file + ": " + e.getMessage());
        }
    }
}
