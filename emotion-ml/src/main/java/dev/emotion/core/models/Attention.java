package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention as in timm ({@code qkv}, {@code proj}). Input (B, N, C); output the attended tokens
 * and the attention probabilities (B, heads, N, N), which visualisation (attention rollout) reads.
 */
public final class Attention extends AbstractBlock {

    private final int dim;
    private final int heads;
    private final float scale;
    private final Linear qkv;
    private final Linear proj;

    public Attention(int dim, int heads) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.scale = (float) (1.0 / Math.sqrt((double) dim / heads));
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray qkvOut = qkv.forward(ps, new NDList(x), training).singletonOrThrow()
                .reshape(b, n, 3, heads, dim / heads).transpose(2, 0, 3, 1, 4);
        NDArray q = qkvOut.get(0);
        NDArray k = qkvOut.get(1);
        NDArray v = qkvOut.get(2);
        NDArray attn = q.mul(scale).matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
        NDArray out = attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
        return new NDList(proj.forward(ps, new NDList(out), training).singletonOrThrow(), attn);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {in, new Shape(in.get(0), heads, in.get(1), in.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        proj.initialize(manager, dataType, inputShapes[0]);
    }
}
