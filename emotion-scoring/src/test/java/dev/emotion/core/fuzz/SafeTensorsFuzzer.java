package dev.emotion.core.fuzz;

import dev.emotion.core.models.weights.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;

/** Pretrained weights in safetensors: the header and every floating-point tensor read, or an error naming the file. */
public final class SafeTensorsFuzzer {

    private SafeTensorsFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        Path f = Fuzzing.write("weights.safetensors", data);
        try {
            SafeTensors st = SafeTensors.open(f);
            for (SafeTensors.Entry e : st.entries().values()) {
                if (SafeTensors.isFloat(e)) {
                    st.read(e.name());
                }
            }
        } catch (IOException e) {
            Fuzzing.mustName(e, f);
        }
    }
}
