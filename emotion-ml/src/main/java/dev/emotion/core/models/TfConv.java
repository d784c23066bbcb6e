package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A convolution with TensorFlow's padding rules, as the face-api networks were trained with: {@code SAME} pads
 * {@code max((ceil(in/s) - 1) * s + k - in, 0)} in total with the extra pixel after (bottom/right), which PyTorch's
 * symmetric padding cannot express for stride 2 on even sizes; {@code VALID} pads nothing. Optional bias, optional
 * per-channel scale layer (x * weights + biases, dlib's affine layer), depthwise when {@code groups == in}.
 * Parameters: {@code filters} [out, in/groups, k, k], {@code bias}, {@code scale_weights}, {@code scale_biases}.
 */
public final class TfConv extends AbstractBlock {

    /** TensorFlow padding modes. */
    public enum Padding { SAME, VALID }

    private final int kernel;
    private final int stride;
    private final int groups;
    private final Padding padding;
    private final Parameter filters;
    private final Parameter bias;
    private final Parameter scaleWeights;
    private final Parameter scaleBiases;

    public TfConv(int in, int out, int kernel, int stride, Padding padding, int groups, boolean bias, boolean scale) {
        this.kernel = kernel;
        this.stride = stride;
        this.groups = groups;
        this.padding = padding;
        filters = addParameter(Parameter.builder().setName("filters").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in / groups, kernel, kernel)).build());
        this.bias = bias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).build()) : null;
        scaleWeights = scale ? addParameter(Parameter.builder().setName("scale_weights")
                .setType(Parameter.Type.GAMMA).optShape(new Shape(out)).build()) : null;
        scaleBiases = scale ? addParameter(Parameter.builder().setName("scale_biases")
                .setType(Parameter.Type.BETA).optShape(new Shape(out)).build()) : null;
    }

    static int[] samePadding(long size, int kernel, int stride) {
        long out = (size + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + kernel - size, 0);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        var device = x.getDevice();
        Shape pad = new Shape(0, 0);
        if (padding == Padding.SAME) {
            int[] h = samePadding(x.getShape().get(2), kernel, stride);
            int[] w = samePadding(x.getShape().get(3), kernel, stride);
            if (h[0] == h[1] && w[0] == w[1]) {
                pad = new Shape(h[0], w[0]);
            } else {
                x = x.pad(new Shape(w[0], w[1], h[0], h[1]), 0); // PyTorch order: last axis first
            }
        }
        NDArray b = bias == null ? null : ps.getValue(bias, device, training);
        NDArray y = Conv2d.conv2d(x, ps.getValue(filters, device, training), b, new Shape(stride, stride), pad,
                new Shape(1, 1), groups).singletonOrThrow();
        if (scaleWeights != null) {
            long c = y.getShape().get(1);
            y = y.mul(ps.getValue(scaleWeights, device, training).reshape(1, c, 1, 1))
                    .add(ps.getValue(scaleBiases, device, training).reshape(1, c, 1, 1));
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        long out = filters.getShape().get(0);
        long h;
        long w;
        if (padding == Padding.SAME) {
            h = (in.get(2) + stride - 1) / stride;
            w = (in.get(3) + stride - 1) / stride;
        } else {
            h = (in.get(2) - kernel) / stride + 1;
            w = (in.get(3) - kernel) / stride + 1;
        }
        return new Shape[] {new Shape(in.get(0), out, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // parameters have fixed shapes; nothing to infer
    }
}
