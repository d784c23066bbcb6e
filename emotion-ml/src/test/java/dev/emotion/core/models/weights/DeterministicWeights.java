package dev.emotion.core.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The weight formula of deploy/parity/torchvision_reference.py, computed the same way (integer hash, float64, one
 * rounding to float32), so a test can write the file torchvision would have and compare with committed outputs.
 */
final class DeterministicWeights {

    private DeterministicWeights() {
    }

    static long fnv1a(String name) {
        long h = 0x811C9DC5L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h = (h * 0x01000193L) & 0xFFFFFFFFL;
        }
        return h;
    }

    static double u(long k, long i) {
        return ((i * 2654435761L + k) & 0xFFFFFFFFL) / 4294967296.0;
    }

    static Tensor tensor(String name, long[] shape) {
        int n = (int) Tensor.size(shape);
        long k = fnv1a(name);
        float[] v = new float[n];
        long fanIn = 1;
        for (int d = 1; d < shape.length; d++) {
            fanIn *= shape[d];
        }
        double scale = 2.0 * Math.sqrt(3.0 / fanIn);
        boolean token = List.of("class_token", "cls_token", "encoder.pos_embedding", "pos_embed").contains(name);
        for (int i = 0; i < n; i++) {
            double u = u(k, i);
            double c = u - 0.5;
            double x;
            if (name.endsWith("running_var")) {
                x = 0.5 + u;
            } else if (name.endsWith("running_mean")) {
                x = 0.2 * c;
            } else if (token) {
                x = 0.1 * c;
            } else if (shape.length == 1 && name.endsWith("weight")) {
                x = 1.0 + 0.2 * c;
            } else if (shape.length == 1 && name.endsWith("bias") || name.endsWith("in_proj_bias")) {
                x = 0.1 * c;
            } else {
                x = c * scale;
            }
            v[i] = (float) x;
        }
        return new Tensor(name, shape, v);
    }

    /** The input tensor of the reference: value 2c for the name "input". */
    static float[] input(long... shape) {
        int n = (int) Tensor.size(shape);
        long k = fnv1a("input");
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2.0 * (u(k, i) - 0.5));
        }
        return v;
    }

    /** Every floating-point key of the reference's state_dict listing, with formula values. */
    static List<Tensor> stateDict(JsonNode reference) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode key : reference.path("keys")) {
            if (!key.path("dtype").asText().startsWith("float")) {
                continue; // num_batches_tracked (int64) is not a weight
            }
            long[] shape = new long[key.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = key.path("shape").get(i).asLong();
            }
            out.add(tensor(key.path("name").asText(), shape));
        }
        return out;
    }
}
