package dev.emotion.core.models.weights;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File layouts of ImageNet backbones as PyTorch libraries save them: torchvision/timm {@code resnet50} (identical
 * names), torchvision {@code vit_b_16} and timm {@code vit_base_patch16_224}. The project's blocks use the
 * torchvision/timm structure, so mapping is renaming only (plus position-embedding resizing for other input sizes).
 */
public final class TorchLayouts {

    private TorchLayouts() {
    }

    private static final Pattern BN = Pattern.compile("(gamma|beta|runningMean|runningVar)$");

    static String bnName(String djl) {
        Matcher m = BN.matcher(djl);
        if (!m.find()) {
            return djl;
        }
        String torch = switch (m.group(1)) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            default -> "running_var";
        };
        return djl.substring(0, m.start()) + torch;
    }

    /** torchvision and timm {@code resnet50}: conv1/bn1 stem, layer1..4 of Bottlenecks, fc (not used). */
    public static WeightLayout resnet() {
        return new WeightLayout() {
            @Override
            public String name() {
                return "torchvision/timm resnet50";
            }

            @Override
            public String expects() {
                return "a ResNet-50 state_dict with conv1.weight, bn1.*, layer1.0.conv1.weight ... layer4.2.bn3.*";
            }

            @Override
            public List<String> sourceNames(String path) {
                String n = bnName(path).replaceFirst("^stem\\.0\\.", "conv1.").replaceFirst("^stem\\.1\\.", "bn1.");
                return List.of(n);
            }
        };
    }

    /** timm {@code vit_base_patch16_224} (and other timm ViTs): names as the project's blocks use them. */
    public static WeightLayout vitTimm() {
        return new VitLayout("timm vit", "timm ViT keys: cls_token, pos_embed, patch_embed.proj.*, blocks.N.*, norm.*") {
            @Override
            public List<String> sourceNames(String path) {
                String n = path.replace("gamma", "weight").replace("beta", "bias")
                        .replace("patch_embed_proj.", "patch_embed.proj.").replaceFirst("^blocks_(\\d+)\\.",
                                "blocks.$1.").replace("mlp_fc1.", "mlp.fc1.").replace("mlp_fc2.", "mlp.fc2.");
                return List.of(n);
            }
        };
    }

    /** torchvision {@code vit_b_16}: conv_proj, class_token, encoder.pos_embedding, encoder.layers, encoder.ln. */
    public static WeightLayout vitTorchvision() {
        return new VitLayout("torchvision vit_b_16", "torchvision ViT keys: class_token, conv_proj.*, "
                + "encoder.pos_embedding, encoder.layers.encoder_layer_N.*, encoder.ln.*") {
            @Override
            public List<String> sourceNames(String path) {
                String n = path.replace("gamma", "weight").replace("beta", "bias");
                if (n.equals("cls_token")) {
                    return List.of("class_token");
                }
                if (n.equals("pos_embed")) {
                    return List.of("encoder.pos_embedding");
                }
                if (n.startsWith("patch_embed_proj.")) {
                    return List.of(n.replace("patch_embed_proj.", "conv_proj."));
                }
                if (n.startsWith("norm.")) {
                    return List.of(n.replace("norm.", "encoder.ln."));
                }
                Matcher m = Pattern.compile("^blocks_(\\d+)\\.(.*)$").matcher(n);
                if (!m.matches()) {
                    return List.of();
                }
                String layer = "encoder.layers.encoder_layer_" + m.group(1) + ".";
                String rest = m.group(2);
                return switch (rest) {
                    case "attn.qkv.weight" -> List.of(layer + "self_attention.in_proj_weight");
                    case "attn.qkv.bias" -> List.of(layer + "self_attention.in_proj_bias");
                    case "mlp_fc1.weight", "mlp_fc1.bias" -> List.of(layer + "mlp.0." + suffix(rest),
                            layer + "mlp.linear_1." + suffix(rest));
                    case "mlp_fc2.weight", "mlp_fc2.bias" -> List.of(layer + "mlp.3." + suffix(rest),
                            layer + "mlp.linear_2." + suffix(rest));
                    default -> List.of(layer + rest.replace("norm1.", "ln_1.").replace("norm2.", "ln_2.")
                            .replace("attn.proj.", "self_attention.out_proj."));
                };
            }
        };
    }

    private static String suffix(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** The ViT layout of a file, told apart by its keys; null when the keys match neither. */
    public static WeightLayout detectVit(Set<String> names) {
        if (names.contains("conv_proj.weight") || names.contains("class_token")) {
            return vitTorchvision();
        }
        if (names.contains("patch_embed.proj.weight") || names.contains("cls_token")) {
            return vitTimm();
        }
        return null;
    }

    /** A ViT layout: resizes the position embedding (bicubic, align_corners=True, as torchvision) when needed. */
    private abstract static class VitLayout implements WeightLayout {
        private final String name;
        private final String expects;

        VitLayout(String name, String expects) {
            this.name = name;
            this.expects = expects;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String expects() {
            return expects;
        }

        @Override
        public Tensor adapt(String path, Tensor t, long[] target) {
            if (path.equals("pos_embed") && t.shape().length == 3 && target.length == 3
                    && t.shape()[2] == target[2] && t.shape()[1] != target[1]) {
                return PositionEmbedding.resize(t, (int) target[1]);
            }
            return t;
        }
    }
}
