package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's face expression network (MIT, trained on facial expressions): 112 x 112 RGB input normalised as
 * {@code (v - [122.782, 117.001, 104.298]) / 255}, four dense blocks (dense0..dense3, 32/64/128/256 channels, each
 * halving the size: a first conv (plain in dense0, depthwise-separable after) and three separable convs whose inputs
 * are the running sums of the previous outputs), 7 x 7 average pooling to 256 features, and with {@code withClassifier}
 * the {@code fc} layer to 7 logits: neutral, happy, sad, angry, fearful, disgusted, surprised.
 */
public final class FaceExpressionNet extends AbstractBlock implements ConvFeatures {

    public static final int INPUT_SIZE = 112;
    public static final float[] MEAN = {122.782f / 255, 117.001f / 255, 104.298f / 255};
    public static final float[] STD = {1f, 1f, 1f};
    public static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry", "fearful", "disgusted",
            "surprised");

    private final List<DenseBlock> dense = new ArrayList<>();
    private final Parameter fcWeight;
    private final Parameter fcBias;

    public FaceExpressionNet(boolean withClassifier) {
        int in = 3;
        int i = 0;
        for (int width : new int[] {32, 64, 128, 256}) {
            dense.add(addChildBlock("dense" + i, new DenseBlock(in, width, i == 0)));
            in = width;
            i++;
        }
        fcWeight = withClassifier ? addParameter(Parameter.builder().setName("fc_weights")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(7, 256)).build()) : null;
        fcBias = withClassifier ? addParameter(Parameter.builder().setName("fc_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(7)).build()) : null;
    }

    /** dense3, the last dense block (256 channels at 7 x 7). */
    @Override
    public void unfreezeLastBlock() {
        dense.get(dense.size() - 1).freezeParameters(false);
    }

    @Override
    public NDArray featureMap(ParameterStore ps, NDArray images) {
        NDList x = new NDList(images);
        for (DenseBlock d : dense) {
            x = d.forward(ps, x, false);
        }
        return x.singletonOrThrow(); // 7 x 7 at 112 px: the 7x7 average pool below is its global mean
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDList x = inputs;
        for (DenseBlock d : dense) {
            x = d.forward(ps, x, training);
        }
        NDArray pooled = Pool.avgPool2d(x.singletonOrThrow(), new Shape(7, 7), new Shape(2, 2), new Shape(0, 0),
                false, true);
        NDArray features = pooled.reshape(pooled.getShape().get(0), -1);
        if (fcWeight == null) {
            return new NDList(features);
        }
        var device = features.getDevice();
        return new NDList(features.matMul(ps.getValue(fcWeight, device, training).transpose())
                .add(ps.getValue(fcBias, device, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), fcWeight == null ? 256 : 7)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        for (DenseBlock d : dense) {
            d.initialize(manager, dataType, s);
            s = d.getOutputShapes(s);
        }
    }

    /** out1 = relu(conv0(x)), then conv1..conv3 each on relu(sum of the outputs so far); relu(sum of all four). */
    static final class DenseBlock extends AbstractBlock {
        private final List<Block> convs = new ArrayList<>();

        DenseBlock(int in, int out, boolean first) {
            convs.add(addChildBlock("conv0", first ? new TfConv(in, out, 3, 2, TfConv.Padding.SAME, 1, true, false)
                    : new SeparableConv(in, out, 2)));
            for (int i = 1; i < 4; i++) {
                convs.add(addChildBlock("conv" + i, new SeparableConv(out, out, 1)));
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                         PairList<String, Object> p) {
            NDArray out1 = Activation.relu(convs.get(0).forward(ps, inputs, training).singletonOrThrow());
            NDArray sum = out1;
            for (int i = 1; i < 4; i++) {
                NDArray in = i == 1 ? out1 : Activation.relu(sum);
                sum = sum.add(convs.get(i).forward(ps, new NDList(in), training).singletonOrThrow());
            }
            return new NDList(Activation.relu(sum));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return convs.get(0).getOutputShapes(inputs);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            convs.get(0).initialize(manager, dataType, inputShapes);
            Shape[] s = convs.get(0).getOutputShapes(inputShapes);
            for (int i = 1; i < 4; i++) {
                convs.get(i).initialize(manager, dataType, s);
            }
        }
    }

    /** TensorFlow's separableConv2d ('same'): depthwise 3x3 with the stride, pointwise 1x1, then the bias. */
    static final class SeparableConv extends AbstractBlock {
        private final TfConv depthwise;
        private final TfConv pointwise;

        SeparableConv(int in, int out, int stride) {
            depthwise = addChildBlock("depthwise", new TfConv(in, in, 3, stride, TfConv.Padding.SAME, in, false,
                    false));
            pointwise = addChildBlock("pointwise", new TfConv(in, out, 1, 1, TfConv.Padding.VALID, 1, true, false));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                         PairList<String, Object> p) {
            return pointwise.forward(ps, depthwise.forward(ps, inputs, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return pointwise.getOutputShapes(depthwise.getOutputShapes(inputs));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            depthwise.initialize(manager, dataType, inputShapes);
            pointwise.initialize(manager, dataType, depthwise.getOutputShapes(inputShapes));
        }
    }
}
