package dev.emotion.core.models.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a weight file into a DJL backbone through a {@link WeightLayout}: every backbone parameter must receive
 * exactly one tensor of its shape (after the layout's adaptation), or nothing is loaded and the error lists every
 * missing tensor and every shape mismatch; tensors of the file that no parameter takes are reported (e.g. the
 * ImageNet classifier, {@code num_batches_tracked}). Loading is all or nothing: arrays are only written once every
 * tensor has been read and checked.
 */
public final class WeightImport {

    /** What was loaded from where, and which tensors of the file were left out. */
    public record Report(String source, String layout, int loaded, long values, List<String> ignored) {

        public String summary() {
            return "loaded " + loaded + " tensors (" + values + " values) from " + source + " as " + layout
                    + (ignored.isEmpty() ? "" : "; not used: " + abbreviate(ignored));
        }
    }

    private WeightImport() {
    }

    /**
     * Parameters of {@code block} by dotted path: child names without DJL's numeric prefix, a SequentialBlock's
     * children by 0-based index ({@code layer1.0.conv1.weight}, {@code stem.1.gamma}).
     */
    public static Map<String, Parameter> parameters(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (var p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        int index = 0;
        for (var c : block.getChildren()) {
            String key = c.getKey();
            String name = block instanceof SequentialBlock ? String.valueOf(index)
                    : key.replaceFirst("^\\d\\d", "");
            collect(c.getValue(), prefix + name + ".", out);
            index++;
        }
    }

    public static Report load(Block backbone, TensorSource source, WeightLayout layout) {
        Map<String, Parameter> params = parameters(backbone);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<Parameter, float[]> ready = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        long values = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (p.getArray() == null) {
                throw new IllegalStateException("initialise the backbone before loading weights into it");
            }
            long[] target = p.getArray().getShape().getShape();
            List<String> candidates = layout.sourceNames(e.getKey());
            String found = candidates.stream().filter(source.names()::contains).findFirst().orElse(null);
            if (found == null) {
                missing.add((candidates.isEmpty() ? "(no name for " + e.getKey() + ")" : String.join(" or ",
                        candidates)) + " " + Arrays.toString(layout.sourceShape(e.getKey(), target)));
                continue;
            }
            used.add(found);
            try {
                Tensor t = layout.adapt(e.getKey(), source.read(found), target);
                if (!Arrays.equals(t.shape(), target)) {
                    mismatched.add(found + " has shape " + Arrays.toString(source.shape(found)) + ", expected "
                            + Arrays.toString(layout.sourceShape(e.getKey(), target)));
                    continue;
                }
                ready.put(p, t.data());
                values += t.data().length;
            } catch (IOException ex) {
                throw new WeightImportException("cannot read " + found + " from " + source.describe() + ": "
                        + ex.getMessage(), ex);
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder m = new StringBuilder(source.describe()).append(" does not fit ").append(layout.name())
                    .append(": ");
            if (!missing.isEmpty()) {
                m.append(missing.size()).append(" tensor(s) missing: ").append(abbreviate(missing));
            }
            if (!mismatched.isEmpty()) {
                m.append(missing.isEmpty() ? "" : "; ").append(mismatched.size()).append(" with the wrong shape: ")
                        .append(abbreviate(mismatched));
            }
            m.append(". Is it the right file for this backbone (").append(layout.expects()).append(")?");
            throw new WeightImportException(m.toString());
        }
        ready.forEach((p, data) -> p.getArray().set(FloatBuffer.wrap(data)));
        List<String> ignored = source.names().stream().filter(n -> !used.contains(n)).toList();
        return new Report(source.describe(), layout.name(), ready.size(), values, ignored);
    }

    static String abbreviate(List<String> items) {
        if (items.size() <= 12) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, 12)) + " and " + (items.size() - 12) + " more";
    }
}
