package dev.emotion.core.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TensorFlow.js weights: a {@code *-weights_manifest.json} (groups of {paths, weights[name, shape, dtype,
 * quantization]}) and its binary shards, concatenated in manifest order. Quantised tensors decode as
 * {@code (float) (q * (double) scale + min)} (uint8 or uint16); plain ones are little-endian float32.
 */
public final class TfjsWeights {

    private TfjsWeights() {
    }

    /** Every tensor of the manifest, in file order. */
    public static Map<String, Tensor> read(Path manifest) throws IOException {
        JsonNode groups;
        try {
            groups = Contracts.mapper().readTree(manifest.toFile());
        } catch (IOException e) {
            throw new IOException(manifest + " is not a TFJS weights manifest (JSON): " + e.getMessage(), e);
        }
        if (!groups.isArray()) {
            throw new IOException(manifest + " is not a TFJS weights manifest: expected a JSON array of groups");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : groups) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                Path shard = manifest.resolveSibling(p.asText()).normalize();
                if (!shard.startsWith(manifest.toAbsolutePath().getParent().normalize())
                        && !shard.startsWith(manifest.getParent() == null ? Path.of("") : manifest.getParent())) {
                    throw new IOException(manifest + ": shard path '" + p.asText() + "' leaves the model directory");
                }
                if (!Files.isRegularFile(shard)) {
                    throw new IOException(manifest + " names shard '" + p.asText() + "', which is missing next to"
                            + " it; fetch the model again (deploy/models/fetch-models.sh)");
                }
                bytes.write(Files.readAllBytes(shard));
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                JsonNode s = w.path("shape");
                if (!s.isArray()) {
                    throw new IOException(manifest + ": tensor '" + name + "' has no shape list (got " + s + ")");
                }
                long[] shape = new long[s.size()];
                long size = 1;
                for (int i = 0; i < shape.length; i++) {
                    JsonNode d = s.get(i);
                    if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                        throw new IOException(manifest + ": tensor '" + name + "' has shape " + s
                                + "; sizes must be whole numbers >= 0");
                    }
                    shape[i] = d.asLong();
                    size = shape[i] == 0 || size <= buf.remaining() / shape[i] ? size * shape[i] : Long.MAX_VALUE;
                }
                if (size > buf.remaining()) { // every value takes at least one byte of the shards
                    throw new IOException(manifest + ": tensor '" + name + "' of shape " + s + " needs more values"
                            + " than the shards hold (" + buf.remaining() + " bytes left); the .bin file is truncated"
                            + " or does not belong to this manifest");
                }
                int n = (int) size;
                float[] data = new float[n];
                JsonNode q = w.path("quantization");
                try {
                    if (q.isMissingNode() || q.isNull()) {
                        if (!w.path("dtype").asText().equals("float32")) {
                            throw new IOException(manifest + ": tensor '" + name + "' has dtype "
                                    + w.path("dtype").asText() + "; only float32 weights are supported");
                        }
                        for (int i = 0; i < n; i++) {
                            data[i] = buf.getFloat();
                        }
                    } else {
                        double scale = q.path("scale").asDouble();
                        double min = q.path("min").asDouble();
                        String qt = q.path("dtype").asText();
                        for (int i = 0; i < n; i++) {
                            int v = switch (qt) {
                                case "uint8" -> buf.get() & 0xff;
                                case "uint16" -> buf.getShort() & 0xffff;
                                default -> throw new IOException(manifest + ": tensor '" + name
                                        + "' uses quantization " + qt + "; only uint8 and uint16 are supported");
                            };
                            data[i] = (float) (v * scale + min);
                        }
                    }
                } catch (java.nio.BufferUnderflowException e) {
                    throw new IOException(manifest + ": the shards end inside tensor '" + name
                            + "'; the .bin file is truncated", e);
                }
                out.put(name, new Tensor(name, shape, data));
            }
            if (buf.hasRemaining()) {
                throw new IOException(manifest + ": " + buf.remaining() + " bytes left after the last tensor of a"
                        + " group; the manifest and the .bin do not belong together");
            }
        }
        return out;
    }
}
