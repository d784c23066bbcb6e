package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * face-api's expression classifier ({@code fc}: 256 -> 7 logits in the order neutral, happy, sad, angry, fearful,
 * disgusted, surprised) re-ordered onto the project's dominant classes (joy, anger, fear, disgust, sadness, surprise,
 * contempt, neutral). The network has no contempt output: its logit is set to the lowest of the seven minus 10, so
 * contempt gets a probability below e^-10 of any other class and is never predicted.
 */
public final class ExpressionHead extends AbstractBlock {

    /** For each dominant class, the face-api output it takes (-1: none). */
    static final int[] FROM = {1, 3, 4, 5, 2, 6, -1, 0};
    public static final float CONTEMPT_MARGIN = 10f;

    private final Parameter weights;
    private final Parameter bias;

    public ExpressionHead() {
        weights = addParameter(Parameter.builder().setName("fc_weights").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(7, 256)).build());
        bias = addParameter(Parameter.builder().setName("fc_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(7)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        var device = x.getDevice();
        NDArray logits = x.matMul(ps.getValue(weights, device, training).transpose())
                .add(ps.getValue(bias, device, training));
        NDArray contempt = logits.min(new int[] {1}, true).sub(CONTEMPT_MARGIN);
        NDList cols = new NDList();
        for (int from : FROM) {
            cols.add(from < 0 ? contempt : logits.get(":, " + from + ":" + (from + 1)));
        }
        return new NDList(ai.djl.ndarray.NDArrays.concat(cols, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), FROM.length)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
