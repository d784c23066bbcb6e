package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm transformer encoder block as in ViT / timm: x + attn(norm1(x)), then x + mlp(norm2(x)) with a GELU
 * MLP ({@code mlp.fc1}, {@code mlp.fc2}). Outputs the tokens and the block's attention probabilities.
 */
public final class TransformerBlock extends AbstractBlock {

    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    public TransformerBlock(int dim, int heads, double mlpRatio, float eps) {
        norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).optEpsilon(eps).build());
        attn = addChildBlock("attn", new Attention(dim, heads));
        norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).optEpsilon(eps).build());
        fc1 = addChildBlock("mlp_fc1", Linear.builder().setUnits(Math.round(dim * mlpRatio)).build());
        fc2 = addChildBlock("mlp_fc2", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        NDList a = attn.forward(ps, norm1.forward(ps, new NDList(x), training), training);
        x = x.add(a.get(0));
        NDArray h = fc1.forward(ps, norm2.forward(ps, new NDList(x), training), training).singletonOrThrow();
        h = fc2.forward(ps, new NDList(Activation.gelu(h)), training).singletonOrThrow();
        return new NDList(x.add(h), a.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return attn.getOutputShapes(inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        norm1.initialize(manager, dataType, in);
        attn.initialize(manager, dataType, in);
        norm2.initialize(manager, dataType, in);
        fc1.initialize(manager, dataType, in);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {in})[0]);
    }
}
