package dev.emotion.core.fuzz;

import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelFileException;
import java.nio.file.Path;

/** iMotions / Affdex CSV exports: read, or refused with a {@link LabelFileException} naming the file. */
public final class LabelCsvFuzzer {

    private LabelCsvFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        Path f = Fuzzing.write("labels.csv", data);
        try {
            new AffdexCsvReader().read(f);
        } catch (LabelFileException e) {
            Fuzzing.mustName(e, f);
        }
    }
}
