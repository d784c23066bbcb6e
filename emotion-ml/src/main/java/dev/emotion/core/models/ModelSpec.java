package dev.emotion.core.models;

import dev.emotion.core.contract.Architecture;

/**
 * What one architecture needs and costs: input size and normalisation (a pretrained backbone's own), default batch
 * sizes (the seed's RTX 4080 figures for GPU, smaller ones that fit two CPU cores), default learning rate, and the
 * pretrained backbone it carries (null when trained from scratch), which then stays frozen.
 */
public record ModelSpec(Architecture architecture, int inputSize, float[] mean, float[] std, int gpuBatch,
                        int cpuBatch, float learningRate, Backbone backbone, String description) {

    static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    static final float[] HALF = {0.5f, 0.5f, 0.5f};

    public boolean pretrainedBackbone() {
        return backbone != null;
    }

    public static ModelSpec of(Architecture a) {
        return of(a, Backbone.defaultFor(a));
    }

    /** The spec of {@code a} carrying {@code backbone} (ignored for the scratch architectures). */
    public static ModelSpec of(Architecture a, Backbone backbone) {
        if (a == Architecture.FACE_EXPRESSION_BASELINE) {
            return new ModelSpec(a, FaceExpressionNet.INPUT_SIZE, FaceExpressionNet.MEAN, FaceExpressionNet.STD, 64, 32,
                    1e-3f, Backbone.FACE_EXPRESSION, "face-api's expression network as trained (zero training): its 7 "
                    + "outputs mapped onto the 8 dominant classes; it has no contempt output");
        }
        if (backbone != null && backbone.architecture() != a) {
            throw new IllegalArgumentException("backbone " + backbone.id() + " does not fit " + a.id());
        }
        return switch (a) {
            case CNN_SIMPLE -> new ModelSpec(a, cnnSimpleInputSize(), HALF, HALF, 64, 32, 1e-3f, null,
                    "4 conv blocks (conv-BN-ReLU-pool, 64-128-256-512) + global average pool + MLP head");
            case VIT_SCRATCH -> new ModelSpec(a, 112, HALF, HALF, 32, 16, 3e-4f, null,
                    "ViT from scratch: 14x14 patches, 6 pre-norm blocks, width 384, 6 heads, MLP x4");
            case RESNET_PRETRAINED -> new ModelSpec(a, backbone.inputSize(), backbone.mean(), backbone.std(), 48, 16,
                    1e-3f, backbone, "frozen " + backbone.description() + " + head " + backbone.featureDim()
                    + "-1024-out with dropout");
            case VIT_PRETRAINED -> new ModelSpec(a, 224, IMAGENET_MEAN, IMAGENET_STD, 24, 8, 1e-3f, backbone,
                    "frozen ViT-B/16 (12 blocks, width 768, 12 heads; " + backbone.description()
                    + ") + head 768-1024-out with dropout");
            case FACE_EXPRESSION_BASELINE -> throw new IllegalStateException();
        };
    }

    /** The system property that overrides cnn_simple's input side, for the recipe benchmark's input-size rows. */
    public static final String CNN_INPUT_PROPERTY = "emotion.cnnSimple.inputSize";

    /**
     * cnn_simple's input side: 64 px (measured against 96 px in docs/training.md). The property
     * {@value #CNN_INPUT_PROPERTY} changes it for in-process benchmarks only: a served model is rebuilt at the
     * default size.
     */
    static int cnnSimpleInputSize() {
        String v = System.getProperty(CNN_INPUT_PROPERTY);
        return v == null ? 64 : Integer.parseInt(v);
    }
}
