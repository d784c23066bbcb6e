package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's face recognition network (MIT; dlib's ResNet-34-style metric network trained on faces): 150 x 150 RGB
 * input normalised as {@code (v - [122.782, 117.001, 104.298]) / 255}; 7x7/2 conv, 3x3/2 max-pool, residual stages of
 * 32, 64, 128 and 256 channels (convs followed by a per-channel scale layer instead of batch norm; down-sampling
 * blocks add a 2x2 average-pooled, zero-channel-padded shortcut), global average pool to 256 features and, with
 * {@code withDescriptor}, the {@code fc} projection to the 128-d face descriptor.
 */
public final class FaceRecognitionResNet extends AbstractBlock implements ConvFeatures {

    public static final int INPUT_SIZE = 150;

    private final TfConv stem;
    private final List<Residual> blocks = new ArrayList<>();
    private final Parameter fc;

    public FaceRecognitionResNet(boolean withDescriptor) {
        stem = addChildBlock("conv32_down", new TfConv(3, 32, 7, 2, TfConv.Padding.VALID, 1, true, true));
        String[][] plan = {
            {"conv32_1", "32", "32", ""}, {"conv32_2", "32", "32", ""}, {"conv32_3", "32", "32", ""},
            {"conv64_down", "32", "64", "down"}, {"conv64_1", "64", "64", ""}, {"conv64_2", "64", "64", ""},
            {"conv64_3", "64", "64", ""},
            {"conv128_down", "64", "128", "down"}, {"conv128_1", "128", "128", ""}, {"conv128_2", "128", "128", ""},
            {"conv256_down", "128", "256", "down"}, {"conv256_1", "256", "256", ""}, {"conv256_2", "256", "256", ""},
            {"conv256_down_out", "256", "256", "down"},
        };
        for (String[] b : plan) {
            blocks.add(addChildBlock(b[0], new Residual(Integer.parseInt(b[1]), Integer.parseInt(b[2]),
                    b[3].equals("down"))));
        }
        fc = withDescriptor ? addParameter(Parameter.builder().setName("fc").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(256, 128)).build()) : null;
    }

    /** The last stage: the four 256-channel residuals (conv256_down .. conv256_down_out). */
    @Override
    public void unfreezeLastBlock() {
        for (Residual r : blocks.subList(blocks.size() - 4, blocks.size())) {
            r.freezeParameters(false);
        }
    }

    @Override
    public NDArray featureMap(ParameterStore ps, NDArray images) {
        return stages(ps, new NDList(images), false);
    }

    private NDArray stages(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = Activation.relu(stem.forward(ps, inputs, training).singletonOrThrow());
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), false);
        NDList h = new NDList(x);
        for (Residual r : blocks) {
            h = r.forward(ps, h, training);
        }
        return h.singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray last = stages(ps, inputs, training);
        NDArray pooled = last.reshape(last.getShape().get(0), last.getShape().get(1), -1).mean(new int[] {2});
        if (fc == null) {
            return new NDList(pooled);
        }
        return new NDList(pooled.matMul(ps.getValue(fc, pooled.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), fc == null ? 256 : 128)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stem.initialize(manager, dataType, inputShapes);
        Shape s = stem.getOutputShapes(inputShapes)[0];
        s = new Shape(s.get(0), s.get(1), (s.get(2) - 3) / 2 + 1, (s.get(3) - 3) / 2 + 1);
        Shape[] shapes = {s};
        for (Residual r : blocks) {
            r.initialize(manager, dataType, shapes);
            shapes = r.getOutputShapes(shapes);
        }
    }

    /**
     * conv1 (3x3, relu; stride 2 'valid' when down-sampling) then conv2 (3x3 'same', no relu), plus the shortcut,
     * relu. Down-sampling shortcut: 2x2 average pool, zero channels appended when the width doubles; when the pooled
     * map is one pixel larger than the conv path, the conv path gets a zero row and column at the end.
     */
    static final class Residual extends AbstractBlock {
        private final TfConv conv1;
        private final TfConv conv2;
        private final boolean down;

        Residual(int in, int out, boolean down) {
            this.down = down;
            conv1 = addChildBlock("conv1", new TfConv(in, out, 3, down ? 2 : 1, down ? TfConv.Padding.VALID
                    : TfConv.Padding.SAME, 1, true, true));
            conv2 = addChildBlock("conv2", new TfConv(out, out, 3, 1, TfConv.Padding.SAME, 1, true, true));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                         PairList<String, Object> p) {
            NDArray x = inputs.singletonOrThrow();
            NDArray out = Activation.relu(conv1.forward(ps, inputs, training).singletonOrThrow());
            out = conv2.forward(ps, new NDList(out), training).singletonOrThrow();
            NDArray shortcut = x;
            if (down) {
                shortcut = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
                if (shortcut.getShape().get(2) != out.getShape().get(2)
                        || shortcut.getShape().get(3) != out.getShape().get(3)) {
                    out = out.pad(new Shape(0, 1, 0, 1), 0);
                }
                if (shortcut.getShape().get(1) != out.getShape().get(1)) {
                    shortcut = NDArrays.concat(new NDList(shortcut, shortcut.zerosLike()), 1);
                }
            }
            return new NDList(Activation.relu(out.add(shortcut)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            Shape in = inputs[0];
            Shape c = conv2.getOutputShapes(conv1.getOutputShapes(inputs))[0];
            if (!down) {
                return new Shape[] {c};
            }
            return new Shape[] {new Shape(in.get(0), c.get(1), in.get(2) / 2, in.get(3) / 2)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv1.initialize(manager, dataType, inputShapes);
            conv2.initialize(manager, dataType, conv1.getOutputShapes(inputShapes));
        }
    }
}
