package dev.emotion.core.models.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors reading and writing, F16/BF16 widening, and the errors for damaged files. */
class SafeTensorsTest {

    @TempDir
    Path dir;

    static final float[] VALUES = {0f, 1f, -2.5f, 0.333251953125f, 65504f, 0x1p-24f, -0x1p-14f, 0x1p-10f};

    @Test
    void f32RoundTripsExactly() throws IOException {
        Path f = dir.resolve("a.safetensors");
        SafeTensors.write(f, List.of(new Tensor("w", new long[] {2, 4}, VALUES), new Tensor("b", new long[] {1},
                new float[] {7f})), "F32");
        SafeTensors st = SafeTensors.open(f);
        assertEquals(List.of("w", "b"), List.copyOf(st.entries().keySet()));
        assertArrayEquals(VALUES, st.read("w").data());
        assertArrayEquals(new long[] {2, 4}, st.read("w").shape());
    }

    @Test
    void f16AndBf16AreWidenedToF32() throws IOException {
        Path half = dir.resolve("h.safetensors");
        SafeTensors.write(half, List.of(new Tensor("w", new long[] {8}, VALUES)), "F16");
        // every value above is representable in half precision, so it comes back exactly
        assertArrayEquals(VALUES, SafeTensors.open(half).read("w").data());
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7e00)));
        assertEquals(-0.0f, SafeTensors.halfToFloat((short) 0x8000));
        // 0.001 is not representable: it rounds to the nearest half (spacing 2^-20 there)
        assertEquals(0.001f, SafeTensors.halfToFloat(SafeTensors.floatToHalf(0.001f)), 0x1p-21f);

        Path bf = dir.resolve("b.safetensors");
        float[] bfValues = {0f, 1f, -2.5f, 3.140625f, 1e30f, -1e-30f};
        SafeTensors.write(bf, List.of(new Tensor("w", new long[] {6}, bfValues)), "BF16");
        float[] back = SafeTensors.open(bf).read("w").data();
        for (int i = 0; i < bfValues.length; i++) {
            assertEquals(bfValues[i], back[i], Math.abs(bfValues[i]) / 128, "bf16 keeps 8 bits of mantissa");
        }
        assertEquals(3.140625f, back[3]); // exactly representable
    }

    @Test
    void truncatedOrForeignFilesAreRefusedWithTheFileName() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafeTensors.write(f, List.of(new Tensor("w", new long[] {8}, VALUES)), "F32");
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.open(cut));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("'w'"), e.getMessage());
        Path text = dir.resolve("x.safetensors");
        Files.writeString(text, "this is not a weight file at all");
        e = assertThrows(IOException.class, () -> SafeTensors.open(text));
        assertTrue(e.getMessage().contains("x.safetensors"), e.getMessage());
    }

    @Test
    void permuteMatchesTheIndexFormula() {
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        Tensor t = new Tensor("f", new long[] {2, 3, 4, 1}, v); // [kh, kw, cin, cout]
        Tensor p = t.permute(3, 2, 0, 1); // [cout, cin, kh, kw]
        assertArrayEquals(new long[] {1, 4, 2, 3}, p.shape());
        // p[0][c][h][w] = t[h][w][c][0] = h*12 + w*4 + c
        assertEquals(1 * 12 + 2 * 4 + 3, p.data()[3 * 6 + 1 * 3 + 2]);
    }
}
