package dev.emotion.core.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * torchvision's ResNet with Bottleneck blocks (layout of {@code resnet50}: [3, 4, 6, 3]), without its fc head:
 * conv1 7x7/2, bn1, ReLU, max-pool 3x3/2, layer1..layer4 (the stride on each stage's first 3x3 conv), global
 * average pool. Output (B, 2048).
 */
public final class ResNet extends AbstractBlock implements ConvFeatures {

    private final Block stem;
    private final List<SequentialBlock> layers;
    private final Block pool = Pool.globalAvgPool2dBlock();

    public ResNet(int[] blocksPerStage) {
        stem = addChildBlock("stem", new SequentialBlock()
                .add(Bottleneck.conv(64, 7, 2, 3))
                .add(Bottleneck.bn())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1))));
        int[] widths = {64, 128, 256, 512};
        SequentialBlock[] stages = new SequentialBlock[4];
        for (int s = 0; s < 4; s++) {
            SequentialBlock stage = new SequentialBlock();
            for (int i = 0; i < blocksPerStage[s]; i++) {
                int stride = i == 0 && s > 0 ? 2 : 1;
                stage.add(new Bottleneck(widths[s], stride, i == 0));
            }
            stages[s] = addChildBlock("layer" + (s + 1), stage);
        }
        layers = List.of(stages);
    }

    public static ResNet resnet50() {
        return new ResNet(new int[] {3, 4, 6, 3});
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(pool.forward(ps, new NDList(stages(ps, inputs, training)), training).singletonOrThrow());
    }

    private NDArray stages(ParameterStore ps, NDList inputs, boolean training) {
        NDList x = stem.forward(ps, inputs, training);
        for (SequentialBlock layer : layers) {
            x = layer.forward(ps, x, training);
        }
        return x.singletonOrThrow();
    }

    /** layer4, the last stage (3 bottlenecks at 7 x 7 for a 224 input). */
    @Override
    public void unfreezeLastBlock() {
        layers.get(layers.size() - 1).freezeParameters(false);
    }

    @Override
    public NDArray featureMap(ParameterStore ps, NDArray images) {
        return stages(ps, new NDList(images), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), 512L * Bottleneck.EXPANSION)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = inputShapes;
        stem.initialize(manager, dataType, s);
        s = stem.getOutputShapes(s);
        for (SequentialBlock layer : layers) {
            layer.initialize(manager, dataType, s);
            s = layer.getOutputShapes(s);
        }
    }
}
