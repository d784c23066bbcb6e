package dev.emotion.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every committed input of every fuzz target (src/test/resources/fuzz/TARGET/: the seeds ./emotion fuzz starts
 * from, and each crash a fuzzing run found, kept as a regression input once fixed) goes through its target again:
 * accepted, or refused with the project's own error naming the input.
 */
class FuzzRegressionTest {

    static final Path CORPORA = Path.of("src/test/resources/fuzz");

    @TestFactory
    Stream<DynamicTest> everyCommittedInputIsHandled() throws IOException {
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (Class<?> target : Fuzzing.TARGETS) {
            Path dir = CORPORA.resolve(target.getSimpleName());
            List<Path> inputs;
            try (Stream<Path> files = Files.list(dir)) {
                inputs = files.filter(Files::isRegularFile).sorted().toList();
            }
            assertFalse(inputs.isEmpty(), target.getSimpleName() + " has no seed inputs in " + dir);
            Method run;
            try {
                run = target.getMethod("fuzzerTestOneInput", byte[].class);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(target + " is not a fuzz target", e);
            }
            for (Path input : inputs) {
                tests.add(DynamicTest.dynamicTest(target.getSimpleName() + "/" + input.getFileName(), () ->
                        assertDoesNotThrow(() -> {
                            try {
                                run.invoke(null, (Object) Files.readAllBytes(input));
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }, input.toString())));
            }
        }
        return tests.stream();
    }
}
