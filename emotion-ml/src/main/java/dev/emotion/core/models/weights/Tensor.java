package dev.emotion.core.models.weights;

import java.util.Arrays;

/** A named float32 tensor read from a weight file (row-major, shape as stored in the file). */
public record Tensor(String name, long[] shape, float[] data) {

    public Tensor {
        if (size(shape) != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + size(shape)
                    + " values, got " + data.length);
        }
    }

    public static long size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }

    /**
     * Axes permuted: output axis i is input axis {@code order[i]} (as numpy's transpose), e.g. TFJS conv filters
     * [kh, kw, cin, cout] to PyTorch's [cout, cin, kh, kw] with {@code (3, 2, 0, 1)}.
     */
    public Tensor permute(int... order) {
        int rank = shape.length;
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[order[i]];
        }
        long[] inStride = new long[rank];
        long s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStride[i] = s;
            s *= shape[i];
        }
        float[] out = new float[data.length];
        int[] idx = new int[rank];
        for (int o = 0; o < out.length; o++) {
            long at = 0;
            for (int i = 0; i < rank; i++) {
                at += idx[i] * inStride[order[i]];
            }
            out[o] = data[(int) at];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < outShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor(name, outShape, out);
    }

    public Tensor reshape(long... newShape) {
        return new Tensor(name, newShape, data);
    }
}
