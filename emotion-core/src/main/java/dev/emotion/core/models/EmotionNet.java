package dev.emotion.core.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;

/**
 * One of the four architectures for one task: a {@code backbone} producing features (ViTs also return every
 * block's attention probabilities) and a trainable {@code head}. Output: the head's scores, then the attention
 * maps when the backbone is a ViT. Pretrained backbones are frozen.
 */
public final class EmotionNet extends AbstractBlock {

    private final ModelSpec spec;
    private final Task task;
    private final Block backbone;
    private final Block head;
    private final long featureDim;

    private EmotionNet(ModelSpec spec, Task task, Block backbone, long featureDim, Block head) {
        this.spec = spec;
        this.task = task;
        this.featureDim = featureDim;
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock("head", head);
        if (spec.pretrainedBackbone()) {
            backbone.freezeParameters(true);
        }
    }

    /** Scores per sample: 8 classes (7 emotions + neutral), 7 independent labels, or 1 attention value. */
    public static int outputs(Task task) {
        return switch (task) {
            case EMOTION_CLASS -> 8;
            case EMOTION_MULTILABEL -> 7;
            case ATTENTION_REGRESSION -> 1;
        };
    }

    /** Names of the outputs, in order: the 8 dominant classes, the 7 emotions, or "attention". */
    public static java.util.List<String> labels(Task task) {
        return switch (task) {
            case EMOTION_CLASS -> dev.emotion.core.contract.Emotion.DOMINANT_LABELS;
            case EMOTION_MULTILABEL -> java.util.Arrays.stream(dev.emotion.core.contract.Emotion.values())
                    .map(dev.emotion.core.contract.Emotion::label).toList();
            case ATTENTION_REGRESSION -> java.util.List.of("attention");
        };
    }

    /** The architecture with its default backbone (ImageNet ResNet-50 / ViT-B/16 for the pretrained ones). */
    public static EmotionNet build(Architecture architecture, Task task) {
        return build(ModelSpec.of(architecture), task);
    }

    public static EmotionNet build(ModelSpec spec, Task task) {
        int out = outputs(task);
        if (spec.architecture() == Architecture.FACE_EXPRESSION_BASELINE) {
            if (task != Task.EMOTION_CLASS) {
                throw new IllegalArgumentException("the face expression baseline only predicts emotion_class (its 7 "
                        + "expression outputs), not " + task.id());
            }
            return new EmotionNet(spec, task, new FaceExpressionNet(false), 256, new ExpressionHead());
        }
        if (spec.pretrainedBackbone()) {
            Backbone b = spec.backbone();
            return new EmotionNet(spec, task, b.build(), b.featureDim(), mlpHead(1024, out, 0.5f));
        }
        return switch (spec.architecture()) {
            case CNN_SIMPLE -> new EmotionNet(spec, task, simpleCnn(), 512, mlpHead(512, out, 0.3f));
            case VIT_SCRATCH -> new EmotionNet(spec, task, new VisionTransformer(spec.inputSize(), 14, 384, 6, 6, 4,
                    1e-6f), 384, Linear.builder().setUnits(out).build());
            default -> throw new IllegalArgumentException(spec.architecture().id() + " needs a backbone");
        };
    }

    private static SequentialBlock simpleCnn() {
        SequentialBlock b = new SequentialBlock();
        for (int filters : new int[] {64, 128, 256, 512}) {
            b.add(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .optBias(false).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        return b.add(Pool.globalAvgPool2dBlock());
    }

    private static SequentialBlock mlpHead(int hidden, int out, float dropout) {
        return new SequentialBlock().add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock())
                .add(Dropout.builder().optRate(dropout).build()).add(Linear.builder().setUnits(out).build());
    }

    public ModelSpec spec() {
        return spec;
    }

    public Task task() {
        return task;
    }

    public Block backbone() {
        return backbone;
    }

    public Block head() {
        return head;
    }

    public boolean isVit() {
        return backbone instanceof VisionTransformer;
    }

    /** Initialises every parameter for a batch of {@code batch} images of the spec's input size. */
    public void initialize(NDManager manager, int batch) {
        initialize(manager, DataType.FLOAT32, new Shape(batch, 3, spec.inputSize(), spec.inputSize()));
    }

    /** Learned parameters (batch-norm running statistics excluded, as torchvision counts). */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (var p : getParameters()) {
            Parameter param = p.getValue();
            boolean runningStat = param.getType() == Parameter.Type.RUNNING_MEAN
                    || param.getType() == Parameter.Type.RUNNING_VAR;
            if (param.isInitialized() && !runningStat && (!trainableOnly || param.requiresGradient())) {
                n += param.getArray().size();
            }
        }
        return n;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDList features = backbone.forward(ps, inputs, training && !spec.pretrainedBackbone());
        NDList out = new NDList(head.forward(ps, new NDList(features.get(0)), training).singletonOrThrow());
        for (int i = 1; i < features.size(); i++) {
            out.add(features.get(i));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] f = backbone.getOutputShapes(inputs);
        Shape[] out = f.clone();
        out[0] = new Shape(inputs[0].get(0), outputs(task));
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), featureDim));
    }
}
