package dev.emotion.core.models;

import dev.emotion.core.contract.Architecture;

/**
 * What one architecture needs and costs: input size and normalisation, default batch sizes (the seed's RTX 4080
 * figures for GPU, smaller ones that fit two CPU cores), default learning rate, and whether its backbone is meant to
 * carry pretrained weights (and then stays frozen).
 */
public record ModelSpec(Architecture architecture, int inputSize, float[] mean, float[] std, int gpuBatch,
                        int cpuBatch, float learningRate, boolean pretrainedBackbone, String description) {

    static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    static final float[] HALF = {0.5f, 0.5f, 0.5f};

    public static ModelSpec of(Architecture a) {
        return switch (a) {
            case CNN_SIMPLE -> new ModelSpec(a, 64, HALF, HALF, 64, 32, 1e-3f, false,
                    "4 conv blocks (conv-BN-ReLU-pool, 64-128-256-512) + global average pool + MLP head");
            case VIT_SCRATCH -> new ModelSpec(a, 112, HALF, HALF, 32, 16, 3e-4f, false,
                    "ViT from scratch: 14x14 patches, 6 pre-norm blocks, width 384, 6 heads, MLP x4");
            case RESNET_PRETRAINED -> new ModelSpec(a, 224, IMAGENET_MEAN, IMAGENET_STD, 48, 16, 1e-3f, true,
                    "frozen ResNet-50 (torchvision layout) + head 2048-1024-out with dropout");
            case VIT_PRETRAINED -> new ModelSpec(a, 224, IMAGENET_MEAN, IMAGENET_STD, 24, 8, 1e-3f, true,
                    "frozen ViT-B/16 (12 blocks, width 768, 12 heads) + head 768-1024-out with dropout");
        };
    }
}
