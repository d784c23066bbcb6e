package dev.emotion.core.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emotion.core.contract.Contracts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, a JSON header of name -> dtype/shape/offsets, then
 * the raw data), read and written in plain Java. F32 is read as is, F16 and BF16 are widened to F32 here (DJL's own
 * reader aborts the JVM on BF16), F64 is narrowed; integer tensors (e.g. BatchNorm's {@code num_batches_tracked}) are
 * listed in the header but not convertible to weights.
 */
public final class SafeTensors {

    /** One header entry. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final long dataStart;

    private SafeTensors(Path file, Map<String, Entry> entries, long dataStart) {
        this.file = file;
        this.entries = entries;
        this.dataStart = dataStart;
    }

    /** Reads and checks the header of {@code file} (the data is read per tensor, on demand). */
    public static SafeTensors open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (fileSize < 8 || ch.read(len, 0) != 8) {
                throw new IOException(file + " is not a safetensors file: shorter than its 8-byte header length");
            }
            long headerLen = len.flip().getLong();
            if (headerLen <= 1 || headerLen > 100_000_000L || 8 + headerLen > fileSize) {
                throw new IOException(file + " is not a safetensors file: header length " + headerLen
                        + " does not fit the file size " + fileSize);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            ch.read(header, 8);
            JsonNode json;
            try {
                json = Contracts.mapper().readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + " is not a safetensors file: its header is not JSON", e);
            }
            long dataStart = 8 + headerLen;
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = f.getValue();
                JsonNode shapeNode = t.path("shape");
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                }
                String dtype = t.path("dtype").asText();
                long begin = t.path("data_offsets").path(0).asLong(-1);
                long end = t.path("data_offsets").path(1).asLong(-1);
                long expected = Tensor.size(shape) * bytesPer(dtype);
                if (begin < 0 || end < begin || dataStart + end > fileSize || (bytesPer(dtype) > 0
                        && end - begin != expected)) {
                    throw new IOException(file + ": tensor '" + f.getKey() + "' (" + dtype + " "
                            + java.util.Arrays.toString(shape) + ") has data offsets [" + begin + ", " + end
                            + "] that do not fit its shape or the file; the file is truncated or corrupt");
                }
                entries.put(f.getKey(), new Entry(f.getKey(), dtype, shape, begin, end));
            }
            return new SafeTensors(file, entries, dataStart);
        }
    }

    static int bytesPer(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Whether the tensor is a floating-point tensor this reader converts to F32. */
    public static boolean isFloat(Entry e) {
        return switch (e.dtype()) {
            case "F32", "F16", "BF16", "F64" -> true;
            default -> false;
        };
    }

    /** The tensor as F32 (F16/BF16 widened exactly, F64 rounded). */
    public Tensor read(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IOException(file + " has no tensor '" + name + "'");
        }
        if (!isFloat(e)) {
            throw new IOException(file + ": tensor '" + name + "' is " + e.dtype() + ", not a floating-point weight");
        }
        int n = (int) Tensor.size(e.shape());
        ByteBuffer buf = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = dataStart + e.begin();
            while (buf.hasRemaining()) {
                int r = ch.read(buf, at + buf.position());
                if (r < 0) {
                    throw new IOException(file + ": tensor '" + name + "' ends past the end of the file");
                }
            }
        }
        buf.flip();
        float[] out = new float[n];
        switch (e.dtype()) {
            case "F32" -> buf.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(buf.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(e.dtype());
        }
        return new Tensor(name, e.shape(), out);
    }

    /** IEEE 754 half precision to float, exactly (subnormals, infinities and NaN included). */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Float to IEEE half, rounding to nearest even (for writing F16 test files). */
    public static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (((bits >>> 23) & 0xff) == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        if (exp >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exp << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /**
     * Writes {@code tensors} (in iteration order) as a safetensors file with one dtype: "F32", "F16" or "BF16"
     * (BF16 truncates to the upper 16 bits after rounding to nearest even).
     */
    public static void write(Path file, Iterable<Tensor> tensors, String dtype) throws IOException {
        int width = bytesPer(dtype);
        if (!dtype.equals("F32") && !dtype.equals("F16") && !dtype.equals("BF16")) {
            throw new IllegalArgumentException("can write F32, F16 or BF16, not " + dtype);
        }
        ObjectNode header = Contracts.mapper().createObjectNode();
        long offset = 0;
        for (Tensor t : tensors) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", dtype);
            var shape = e.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long bytes = (long) t.data().length * width;
            e.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = Contracts.mapper().writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8;
        byte[] padded = java.util.Arrays.copyOf(json, json.length + pad);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length);
            out.write(len.array());
            out.write(padded);
            for (Tensor t : tensors) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * width).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.data()) {
                    switch (dtype) {
                        case "F32" -> b.putFloat(v);
                        case "F16" -> b.putShort(floatToHalf(v));
                        default -> {
                            int bits = Float.floatToIntBits(v);
                            bits += 0x7fff + ((bits >>> 16) & 1);
                            b.putShort((short) (bits >>> 16));
                        }
                    }
                }
                out.write(b.array());
            }
        }
    }
}
