package dev.emotion.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the fuzz targets share. A target feeds one input to one of the parsers that read users' files and records
 * (labels CSV, contract JSON, safetensors, TFJS weights, uploaded images); it returns normally when the parser
 * accepted the input or refused it with the project's own error naming the input, and throws anything else, which
 * the fuzzing engine reports as a crash (./emotion fuzz) and {@code FuzzRegressionTest} as a failure.
 */
public final class Fuzzing {

    /** Every target, in the order ./emotion fuzz runs them (its corpus folder is src/test/resources/fuzz/NAME). */
    public static final List<Class<?>> TARGETS = List.of(LabelCsvFuzzer.class, ContractJsonFuzzer.class,
            SafeTensorsFuzzer.class, TfjsWeightsFuzzer.class, ImageInputFuzzer.class);

    private static final Path SCRATCH;

    static {
        try {
            SCRATCH = Files.createTempDirectory("emotion-fuzz");
            SCRATCH.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Fuzzing() {
    }

    /** Writes {@code data} to a scratch file of that name (the same file every execution: parsers read files). */
    static Path write(String name, byte[] data) {
        Path f = SCRATCH.resolve(name);
        try {
            Files.write(f, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        f.toFile().deleteOnExit();
        return f;
    }

    /** A refusal must say which input it refuses: its message names the file. */
    static void mustName(Exception refusal, Path file) {
        String m = refusal.getMessage();
        if (m == null || !m.contains(file.getFileName().toString())) {
            throw new AssertionError("the refusal does not name the file " + file.getFileName() + ": " + m,
                    refusal);
        }
    }
}
