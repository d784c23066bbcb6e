package dev.emotion.core.models.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named tensors of one weight file, readable one at a time. */
public interface TensorSource {

    /** Where the tensors come from (file path or URL), for messages. */
    String describe();

    /** Every tensor name in the file, in file order. */
    Set<String> names();

    /** Whether the tensor holds floating-point weights (integers such as num_batches_tracked are not weights). */
    boolean isWeight(String name);

    long[] shape(String name);

    Tensor read(String name) throws IOException;

    /** A safetensors file, read lazily. */
    static TensorSource safetensors(Path file) throws IOException {
        SafeTensors st = SafeTensors.open(file);
        return new TensorSource() {
            @Override
            public String describe() {
                return file.toString();
            }

            @Override
            public Set<String> names() {
                return st.entries().keySet();
            }

            @Override
            public boolean isWeight(String name) {
                return SafeTensors.isFloat(st.entries().get(name));
            }

            @Override
            public long[] shape(String name) {
                return st.entries().get(name).shape();
            }

            @Override
            public Tensor read(String name) throws IOException {
                return st.read(name);
            }
        };
    }

    /** Tensors already in memory (TFJS weights, tests). */
    static TensorSource of(String description, Map<String, Tensor> tensors) {
        Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
        return new TensorSource() {
            @Override
            public String describe() {
                return description;
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }

            @Override
            public boolean isWeight(String name) {
                return true;
            }

            @Override
            public long[] shape(String name) {
                return copy.get(name).shape();
            }

            @Override
            public Tensor read(String name) {
                return copy.get(name);
            }
        };
    }
}
