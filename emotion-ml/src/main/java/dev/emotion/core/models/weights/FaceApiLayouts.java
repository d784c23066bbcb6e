package dev.emotion.core.models.weights;

import java.nio.file.Path;
import java.util.List;

/**
 * TFJS weight names of face-api's networks onto {@link dev.emotion.core.models.FaceExpressionNet} and
 * {@link dev.emotion.core.models.FaceRecognitionResNet}: TFJS filters [kh, kw, in, out] become [out, in, kh, kw],
 * depthwise filters [kh, kw, in, 1] become [in, 1, kh, kw], fc weights [in, out] become [out, in] (expression) or stay
 * (recognition's descriptor projection, applied as x . W).
 */
public final class FaceApiLayouts {

    public static final String EXPRESSION_MANIFEST = "face_expression_model-weights_manifest.json";
    public static final String RECOGNITION_MANIFEST = "face_recognition_model-weights_manifest.json";

    private FaceApiLayouts() {
    }

    /** The directory deploy/models/fetch-models.sh fills with face-api's files. */
    public static Path defaultDir() {
        return dev.emotion.core.ModelFiles.dir().resolve("face-api");
    }

    public static WeightLayout expression() {
        return new WeightLayout() {
            @Override
            public String name() {
                return "face-api face_expression_model";
            }

            @Override
            public String expects() {
                return "face-api's " + EXPRESSION_MANIFEST + " with dense0..dense3 and fc";
            }

            @Override
            public List<String> sourceNames(String path) {
                if (path.equals("fc_weights")) {
                    return List.of("fc/weights");
                }
                if (path.equals("fc_bias")) {
                    return List.of("fc/bias");
                }
                // dense0.conv0.filters / dense1.conv2.depthwise.filters / dense1.conv2.pointwise.{filters,bias}
                String n = path.replace(".depthwise.filters", ".depthwise_filter")
                        .replace(".pointwise.filters", ".pointwise_filter").replace(".pointwise.bias", ".bias");
                return List.of(n.replace('.', '/'));
            }

            @Override
            public Tensor adapt(String path, Tensor t, long[] target) {
                if (path.equals("fc_weights")) {
                    return t.shape().length == 2 ? t.permute(1, 0) : t;
                }
                if (path.endsWith("depthwise.filters")) {
                    return t.shape().length == 4 ? t.permute(2, 3, 0, 1) : t;
                }
                return path.endsWith("filters") && t.shape().length == 4 ? t.permute(3, 2, 0, 1) : t;
            }

            @Override
            public long[] sourceShape(String path, long[] target) {
                if (path.equals("fc_weights")) {
                    return new long[] {target[1], target[0]};
                }
                if (path.endsWith("depthwise.filters")) {
                    return new long[] {target[2], target[3], target[0], target[1]};
                }
                return path.endsWith("filters") ? new long[] {target[2], target[3], target[1], target[0]} : target;
            }
        };
    }

    public static WeightLayout recognition() {
        return new WeightLayout() {
            @Override
            public String name() {
                return "face-api face_recognition_model";
            }

            @Override
            public String expects() {
                return "face-api's " + RECOGNITION_MANIFEST + " with conv32_down ... conv256_down_out and fc";
            }

            @Override
            public List<String> sourceNames(String path) {
                if (path.equals("fc")) {
                    return List.of("fc");
                }
                // conv32_down.filters / conv32_1.conv1.scale_weights -> conv32_down/conv/filters, .../scale/weights
                int dot = path.lastIndexOf('.');
                String layer = path.substring(0, dot).replace('.', '/');
                String leaf = switch (path.substring(dot + 1)) {
                    case "filters" -> "conv/filters";
                    case "bias" -> "conv/bias";
                    case "scale_weights" -> "scale/weights";
                    default -> "scale/biases";
                };
                return List.of(layer + "/" + leaf);
            }

            @Override
            public Tensor adapt(String path, Tensor t, long[] target) {
                return path.endsWith("filters") && t.shape().length == 4 ? t.permute(3, 2, 0, 1) : t;
            }

            @Override
            public long[] sourceShape(String path, long[] target) {
                return path.endsWith("filters") ? new long[] {target[2], target[3], target[1], target[0]} : target;
            }
        };
    }
}
