package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's ResNet Bottleneck (v1.5): 1x1 reduce, 3x3 with the stride, 1x1 expand (x4), each followed by batch
 * norm, with a 1x1 conv + BN {@code downsample} on the shortcut when shape changes; ReLU after the sum.
 * Names follow torchvision (conv1, bn1, conv2, bn2, conv3, bn3, downsample) so weight files map one to one.
 */
public final class Bottleneck extends AbstractBlock {

    static final int EXPANSION = 4;
    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block conv3;
    private final Block bn3;
    private final SequentialBlock downsample;

    public Bottleneck(int width, int stride, boolean project) {
        conv1 = addChildBlock("conv1", conv(width, 1, 1, 0));
        bn1 = addChildBlock("bn1", bn());
        conv2 = addChildBlock("conv2", conv(width, 3, stride, 1));
        bn2 = addChildBlock("bn2", bn());
        conv3 = addChildBlock("conv3", conv(width * EXPANSION, 1, 1, 0));
        bn3 = addChildBlock("bn3", bn());
        downsample = project ? addChildBlock("downsample", new SequentialBlock()
                .add(conv(width * EXPANSION, 1, stride, 0)).add(bn())) : null;
    }

    static Conv2d conv(int filters, int kernel, int stride, int pad) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(false).build();
    }

    /** PyTorch's BatchNorm2d defaults: eps 1e-5, running-average momentum 0.1 (DJL counts it as 0.9). */
    static BatchNorm bn() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        NDList h = new NDList(x);
        h = new NDList(bn1.forward(ps, conv1.forward(ps, h, training), training).singletonOrThrow().clip(0,
                Float.MAX_VALUE));
        h = new NDList(bn2.forward(ps, conv2.forward(ps, h, training), training).singletonOrThrow().clip(0,
                Float.MAX_VALUE));
        NDArray y = bn3.forward(ps, conv3.forward(ps, h, training), training).singletonOrThrow();
        NDArray shortcut = downsample == null ? x : downsample.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(y.add(shortcut).clip(0, Float.MAX_VALUE));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] s = conv1.getOutputShapes(inputs);
        s = conv2.getOutputShapes(s);
        return conv3.getOutputShapes(s);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        conv1.initialize(manager, dataType, s);
        s = conv1.getOutputShapes(s);
        bn1.initialize(manager, dataType, s);
        conv2.initialize(manager, dataType, s);
        s = conv2.getOutputShapes(s);
        bn2.initialize(manager, dataType, s);
        conv3.initialize(manager, dataType, s);
        s = conv3.getOutputShapes(s);
        bn3.initialize(manager, dataType, s);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
