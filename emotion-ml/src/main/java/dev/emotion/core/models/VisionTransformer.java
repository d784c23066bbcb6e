package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Vision Transformer (Dosovitskiy et al.), names as in timm: {@code patch_embed} (a conv with stride = patch),
 * {@code cls_token}, {@code pos_embed}, {@code blocks}, {@code norm}. Output: the normalised class token (B, dim)
 * followed by every block's attention probabilities (B, heads, N, N), first block first; a head is a separate block.
 */
public final class VisionTransformer extends AbstractBlock {

    private final int imageSize;
    private final int patch;
    private final int dim;
    private final int heads;
    private final Conv2d patchEmbed;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;

    public VisionTransformer(int imageSize, int patch, int dim, int depth, int heads, double mlpRatio, float eps) {
        this(imageSize, patch, dim, depth, heads, mlpRatio, eps, 0f);
    }

    /**
     * @param dropPath stochastic depth of the last block; block i of n gets {@code dropPath * i / (n - 1)} (the
     *                 first none), as in DeiT
     */
    public VisionTransformer(int imageSize, int patch, int dim, int depth, int heads, double mlpRatio, float eps,
                             float dropPath) {
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " is not a multiple of patch " + patch);
        }
        this.imageSize = imageSize;
        this.patch = patch;
        this.dim = dim;
        this.heads = heads;
        int tokens = (imageSize / patch) * (imageSize / patch) + 1;
        patchEmbed = addChildBlock("patch_embed_proj", Conv2d.builder().setKernelShape(new Shape(patch, patch))
                .optStride(new Shape(patch, patch)).setFilters(dim).build());
        clsToken = addParameter(Parameter.builder().setName("cls_token").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, dim)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
        posEmbed = addParameter(Parameter.builder().setName("pos_embed").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, tokens, dim)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
        for (int i = 0; i < depth; i++) {
            float rate = depth < 2 ? dropPath : dropPath * i / (depth - 1);
            blocks.add(addChildBlock("blocks_" + i, new TransformerBlock(dim, heads, mlpRatio, eps, rate)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(eps).build());
    }

    public int imageSize() {
        return imageSize;
    }

    public int dim() {
        return dim;
    }

    public int depth() {
        return blocks.size();
    }

    public List<TransformerBlock> blocks() {
        return blocks;
    }

    /** Makes the last block and the final norm trainable again (fine-tuning on top of a frozen backbone). */
    public void unfreezeLastBlock() {
        blocks.get(blocks.size() - 1).freezeParameters(false);
        norm.freezeParameters(false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray img = inputs.singletonOrThrow();
        long b = img.getShape().get(0);
        NDArray x = patchEmbed.forward(ps, new NDList(img), training).singletonOrThrow(); // (B, dim, h, w)
        x = x.reshape(b, dim, -1).transpose(0, 2, 1); // (B, h*w, dim)
        // Results belong to their first operand's manager: keep everything derived from the parameters in the
        // input's (per-call) manager, or every forward would leak its activations into the model's.
        NDArray cls = ps.getValue(clsToken, img.getDevice(), training).broadcast(b, 1, dim);
        cls.attach(img.getManager());
        x = NDArrays.concat(new NDList(cls, x), 1);
        x = x.add(ps.getValue(posEmbed, img.getDevice(), training));
        NDList out = new NDList();
        out.add(null);
        for (TransformerBlock block : blocks) {
            NDList r = block.forward(ps, new NDList(x), training);
            x = r.get(0);
            out.add(r.get(1));
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        out.set(0, x.get(":, 0, :"));
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long b = inputs[0].get(0);
        long tokens = (long) (imageSize / patch) * (imageSize / patch) + 1;
        Shape[] out = new Shape[blocks.size() + 1];
        out[0] = new Shape(b, dim);
        for (int i = 1; i < out.length; i++) {
            out[i] = new Shape(b, heads, tokens, tokens);
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        patchEmbed.initialize(manager, dataType, inputShapes[0]);
        int tokens = (imageSize / patch) * (imageSize / patch) + 1;
        Shape tokenShape = new Shape(b, tokens, dim);
        for (TransformerBlock block : blocks) {
            block.initialize(manager, dataType, tokenShape);
        }
        norm.initialize(manager, dataType, tokenShape);
    }
}
