package dev.emotion.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Real inputs fetched by deploy/testdata/fetch-testdata.sh (./emotion test runs it); a test fails if one is absent. */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path testdata(String name) {
        String dir = System.getenv("EMOTION_TESTDATA_DIR");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "emotion", "testdata");
        Path file = base.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run deploy/testdata/fetch-testdata.sh "
                    + "(./emotion test does)");
        }
        return file;
    }
}
