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
 * MLP ({@code mlp.fc1}, {@code mlp.fc2}). Outputs the tokens and the block's attention probabilities. With a drop-path
 * rate (stochastic depth, Huang et al. 2016, as DeiT trains small-data ViTs) each residual branch is skipped for a
 * random share of the samples while training and scaled up for the others; inference uses every branch.
 */
public final class TransformerBlock extends AbstractBlock {

    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final float dropPath;

    public TransformerBlock(int dim, int heads, double mlpRatio, float eps) {
        this(dim, heads, mlpRatio, eps, 0f);
    }

    /** @param dropPath probability of skipping each residual branch per sample while training (0: never) */
    public TransformerBlock(int dim, int heads, double mlpRatio, float eps, float dropPath) {
        if (dropPath < 0 || dropPath >= 1) {
            throw new IllegalArgumentException("drop-path rate " + dropPath + " must be in [0, 1)");
        }
        this.dropPath = dropPath;
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
        x = x.add(dropPath(a.get(0), training));
        NDArray h = fc1.forward(ps, norm2.forward(ps, new NDList(x), training), training).singletonOrThrow();
        h = fc2.forward(ps, new NDList(Activation.gelu(h)), training).singletonOrThrow();
        return new NDList(x.add(dropPath(h, training)), a.get(1));
    }

    public float dropPathRate() {
        return dropPath;
    }

    /** The branch with whole samples zeroed at the drop-path rate and the rest scaled by 1 / (1 - rate). */
    private NDArray dropPath(NDArray branch, boolean training) {
        if (!training || dropPath == 0f) {
            return branch;
        }
        Shape s = branch.getShape();
        NDArray keep = branch.getManager().randomUniform(0f, 1f, new Shape(s.get(0), 1, 1), branch.getDataType(),
                branch.getDevice()).gte(dropPath).toType(branch.getDataType(), false).div(1f - dropPath);
        return branch.mul(keep);
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
