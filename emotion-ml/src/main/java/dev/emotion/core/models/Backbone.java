package dev.emotion.core.models;

import ai.djl.nn.Block;
import dev.emotion.core.contract.Architecture;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The frozen feature extractors the pretrained architectures can carry, each with the input size and normalisation
 * its weights were trained with. ImageNet backbones need a weight file the user provides (no model hub is reachable
 * here); the face-api backbones are fetched by deploy/models/fetch-models.sh and run offline.
 */
public enum Backbone {
    RESNET50("resnet50", 224, ModelSpec.IMAGENET_MEAN, ModelSpec.IMAGENET_STD, 2048,
            "ResNet-50 with ImageNet weights (torchvision/timm safetensors)"),
    RESNET34_FACES("resnet34-faces", FaceRecognitionResNet.INPUT_SIZE, FaceExpressionNet.MEAN, FaceExpressionNet.STD,
            256, "face-api's ResNet-34-style face-recognition network (pretrained on faces, offline)"),
    FACE_EXPRESSION("face-expression", FaceExpressionNet.INPUT_SIZE, FaceExpressionNet.MEAN, FaceExpressionNet.STD,
            256, "face-api's expression network feature extractor (pretrained on facial expressions, offline)"),
    VIT_B16("vit_b_16", 224, ModelSpec.IMAGENET_MEAN, ModelSpec.IMAGENET_STD, 768,
            "ViT-B/16 with ImageNet weights (torchvision/timm safetensors)");

    private final String id;
    private final int inputSize;
    private final float[] mean;
    private final float[] std;
    private final int featureDim;
    private final String description;

    Backbone(String id, int inputSize, float[] mean, float[] std, int featureDim, String description) {
        this.id = id;
        this.inputSize = inputSize;
        this.mean = mean;
        this.std = std;
        this.featureDim = featureDim;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public int inputSize() {
        return inputSize;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    public int featureDim() {
        return featureDim;
    }

    public String description() {
        return description;
    }

    /** Whether the weights come with the project's model files (face-api) rather than from the user. */
    public boolean offline() {
        return this == RESNET34_FACES || this == FACE_EXPRESSION;
    }

    /** The pretrained architecture this backbone can be chosen for. */
    public Architecture architecture() {
        return this == VIT_B16 ? Architecture.VIT_PRETRAINED : Architecture.RESNET_PRETRAINED;
    }

    /** The backbone a pretrained architecture uses unless told otherwise. */
    public static Backbone defaultFor(Architecture a) {
        return switch (a) {
            case RESNET_PRETRAINED -> RESNET50;
            case VIT_PRETRAINED -> VIT_B16;
            case FACE_EXPRESSION_BASELINE -> FACE_EXPRESSION;
            default -> null;
        };
    }

    /** Parses an id ("resnet34-faces"), naming the choices for the architecture when it does not fit. */
    public static Backbone parse(String id, Architecture a) {
        for (Backbone b : values()) {
            if (b.id.equals(id.toLowerCase(Locale.ROOT)) && b.architecture() == a) {
                return b;
            }
        }
        String choices = Arrays.stream(values()).filter(b -> b.architecture() == a).map(Backbone::id)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("backbone '" + id + "' does not fit " + a.id() + (choices.isEmpty()
                ? " (it has no pretrained backbone)" : "; choose one of: " + choices));
    }

    /** A fresh (uninitialised) feature extractor. */
    public Block build() {
        return switch (this) {
            case RESNET50 -> ResNet.resnet50();
            case RESNET34_FACES -> new FaceRecognitionResNet(false);
            case FACE_EXPRESSION -> new FaceExpressionNet(false);
            case VIT_B16 -> new VisionTransformer(224, 16, 768, 12, 12, 4, 1e-6f);
        };
    }
}
