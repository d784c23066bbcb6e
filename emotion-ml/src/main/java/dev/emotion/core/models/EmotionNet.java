package dev.emotion.core.models;

import dev.emotion.core.contract.AffectOutputs;

import ai.djl.ndarray.NDArray;
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

    /**
     * Scores per sample: 8 classes (7 emotions + neutral), 7 independent labels, 1 attention value, one intensity
     * per AFFDEX expression (20; those a study does not annotate are masked out of the loss and the metrics), or for
     * {@code affect} each head's outputs side by side (see {@link AffectOutputs}).
     */
    public static int outputs(Task task) {
        return switch (task) {
            case EMOTION_CLASS -> 8;
            case EMOTION_MULTILABEL -> 7;
            case ATTENTION_REGRESSION -> 1;
            case EXPRESSION_REGRESSION -> dev.emotion.core.contract.EmotionLabels.AFFDEX_EXPRESSIONS.size();
            case AFFECT -> AffectOutputs.OUTPUTS;
        };
    }

    /**
     * Names of the outputs, in order: the 8 dominant classes, the 7 emotions, "attention", the AFFDEX expressions,
     * or for {@code affect} the classes, the expressions, then "valence", "engagement", "attention".
     */
    public static java.util.List<String> labels(Task task) {
        return switch (task) {
            case EMOTION_CLASS -> dev.emotion.core.contract.Emotion.DOMINANT_LABELS;
            case EMOTION_MULTILABEL -> java.util.Arrays.stream(dev.emotion.core.contract.Emotion.values())
                    .map(dev.emotion.core.contract.Emotion::label).toList();
            case ATTENTION_REGRESSION -> java.util.List.of("attention");
            case EXPRESSION_REGRESSION -> dev.emotion.core.contract.EmotionLabels.AFFDEX_EXPRESSIONS;
            case AFFECT -> AffectOutputs.LABELS;
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
                    1e-6f, vitScratchDropPath()), 384, Linear.builder().setUnits(out).build());
            default -> throw new IllegalArgumentException(spec.architecture().id() + " needs a backbone");
        };
    }

    /**
     * Stochastic depth of vit_scratch's last block ({@value #VIT_SCRATCH_DROP_PATH}, the rate DeiT uses for its
     * small models); the system property {@value #DROP_PATH_PROPERTY} overrides it (the recipe benchmark's
     * ablation). Inference is unaffected: drop-path acts only while training.
     */
    public static float vitScratchDropPath() {
        String v = System.getProperty(DROP_PATH_PROPERTY);
        return v == null ? VIT_SCRATCH_DROP_PATH : Float.parseFloat(v);
    }

    public static final float VIT_SCRATCH_DROP_PATH = 0.1f;
    public static final String DROP_PATH_PROPERTY = "emotion.vitScratch.dropPath";

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

    /**
     * Pretrained architectures: trains the backbone's last stage along with the head (vit_pretrained: the last
     * transformer block and final norm; resnet_pretrained: ResNet-50's layer4, or the last stage of a face-api
     * backbone); the rest stays frozen. Call after loading the pretrained weights.
     */
    public void unfreezeLastBlock() {
        if (!spec.pretrainedBackbone() || !spec.architecture().trained()) {
            throw new IllegalArgumentException("only the pretrained architectures (resnet_pretrained, vit_pretrained) "
                    + "can fine-tune their backbone's last block, not " + spec.architecture().id());
        }
        if (backbone instanceof VisionTransformer vit) {
            vit.unfreezeLastBlock();
        } else if (backbone instanceof ConvFeatures conv) {
            conv.unfreezeLastBlock();
        } else {
            throw new IllegalArgumentException(spec.backbone().id() + " has no last block to fine-tune");
        }
    }

    /** Whether {@link #gradCam} works for this model (a convolutional feature map before global pooling). */
    public boolean hasConvFeatures() {
        return backbone instanceof ConvFeatures || (backbone instanceof SequentialBlock && !isVit());
    }

    /**
     * Grad-CAM (Selvaraju et al., 2017) for output {@code targets[i]} of each image: the last convolutional feature
     * map A (B, C, h, w) is detached, the head scores its spatial mean, the target score's gradient dY/dA averaged
     * over space weighs the channels, and the map is relu(sum_c w_c A_c). Returns (B, h, w) row-major with h.
     */
    public float[][] gradCam(ParameterStore ps, NDArray images, int[] targets) {
        if (!hasConvFeatures()) {
            throw new IllegalStateException(spec.architecture().id() + " has no convolutional feature map");
        }
        NDManager m = images.getManager();
        NDArray map;
        if (backbone instanceof ConvFeatures c) {
            map = c.featureMap(ps, images);
        } else {
            NDList x = new NDList(images);
            var children = backbone.getChildren();
            for (int i = 0; i < children.size() - 1; i++) { // everything but the final global pooling
                x = children.get(i).getValue().forward(ps, x, false);
            }
            map = x.singletonOrThrow();
        }
        long b = map.getShape().get(0);
        long c = map.getShape().get(1);
        long h = map.getShape().get(2);
        long w = map.getShape().get(3);
        NDArray leaf = map.stopGradient();
        leaf.setRequiresGradient(true);
        float[] oneHot = new float[(int) (b * outputs(task))];
        for (int i = 0; i < b; i++) {
            oneHot[i * outputs(task) + targets[i]] = 1f;
        }
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch")
                .newGradientCollector()) {
            NDArray pooled = leaf.reshape(b, c, -1).mean(new int[] {2});
            NDArray scores = head.forward(ps, new NDList(pooled), false).singletonOrThrow();
            gc.backward(scores.mul(m.create(oneHot, new Shape(b, outputs(task)))).sum());
        }
        NDArray weights = leaf.getGradient().reshape(b, c, -1).mean(new int[] {2}).reshape(b, c, 1, 1);
        float[] cam = Activation.relu(map.mul(weights).sum(new int[] {1})).toFloatArray();
        float[][] out = new float[(int) b][];
        for (int i = 0; i < b; i++) {
            out[i] = java.util.Arrays.copyOfRange(cam, (int) (i * h * w), (int) ((i + 1) * h * w));
        }
        return out;
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
