package dev.emotion.core.fuzz;

import dev.emotion.core.models.weights.TfjsWeights;
import dev.emotion.core.models.weights.WeightImportException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * TensorFlow.js weights (face-api's networks): the input up to its first zero byte is the manifest JSON, the rest the
 * shard {@code group1-shard1of1} it may name. Every tensor decoded, or an error naming the manifest.
 */
public final class TfjsWeightsFuzzer {

    private TfjsWeightsFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        int split = 0;
        while (split < data.length && data[split] != 0) {
            split++;
        }
        Path manifest = Fuzzing.write("model-weights_manifest.json", Arrays.copyOfRange(data, 0, split));
        Fuzzing.write("group1-shard1of1", Arrays.copyOfRange(data, Math.min(split + 1, data.length), data.length));
        try {
            TfjsWeights.read(manifest);
        } catch (IOException e) {
            Fuzzing.mustName(e, manifest);
        } catch (WeightImportException e) {
            Fuzzing.mustName(e, manifest);
        }
    }
}
