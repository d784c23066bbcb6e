package dev.emotion.core.models.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.models.ResNet;
import dev.emotion.core.models.VisionTransformer;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numerical parity of the weight import with torchvision: the same formula weights as
 * deploy/parity/torchvision_reference.py, written here as safetensors in torchvision's (or timm's) names, loaded
 * through the real import path into the project's blocks, must reproduce the committed PyTorch outputs.
 */
class TorchvisionParityTest {

    @TempDir
    Path dir;

    static JsonNode reference(String name) throws Exception {
        try (InputStream in = TorchvisionParityTest.class.getResourceAsStream("/parity/" + name + ".json")) {
            return Contracts.mapper().readTree(in);
        }
    }

    static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = new double[rows.get(r).size()];
            for (int c = 0; c < m[r].length; c++) {
                m[r][c] = rows.get(r).get(c).asDouble();
            }
        }
        return m;
    }

    /** Features of the backbone for the reference input, and logits through the file's own classifier. */
    static double[][][] run(Block backbone, int size, List<Tensor> file, String headWeight, String headBias) {
        Map<String, Tensor> byName = file.stream().collect(Collectors.toMap(Tensor::name, t -> t));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            var x = m.create(FloatBuffer.wrap(DeterministicWeights.input(2, 3, size, size)), new Shape(2, 3, size,
                    size));
            float[] f = backbone.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
            int dim = f.length / 2;
            Tensor w = byName.get(headWeight);
            Tensor b = byName.get(headBias);
            int classes = (int) w.shape()[0];
            double[][] features = new double[2][dim];
            double[][] logits = new double[2][classes];
            for (int i = 0; i < 2; i++) {
                for (int d = 0; d < dim; d++) {
                    features[i][d] = f[i * dim + d];
                }
                for (int c = 0; c < classes; c++) {
                    double s = b.data()[c];
                    for (int d = 0; d < dim; d++) {
                        s += (double) w.data()[c * dim + d] * f[i * dim + d];
                    }
                    logits[i][c] = s;
                }
            }
            return new double[][][] {features, logits};
        }
    }

    static double maxDiff(double[][] a, double[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i].length, b[i].length);
            for (int j = 0; j < a[i].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return d;
    }

    static double scale(double[][] a) {
        double s = 0;
        for (double[] r : a) {
            for (double v : r) {
                s = Math.max(s, Math.abs(v));
            }
        }
        return s;
    }

    void assertParity(JsonNode ref, double[][][] out, String what) {
        double logits = maxDiff(out[1], matrix(ref.path("logits")));
        double features = maxDiff(out[0], matrix(ref.path("features")));
        System.out.printf("%s: max |logit diff| %.2e (logits up to %.2f), max |feature diff| %.2e (features up to"
                + " %.2f)%n", what, logits, scale(out[1]), features, scale(out[0]));
        assertTrue(logits <= 1e-4, what + ": logits differ by " + logits);
        assertTrue(features <= 1e-4 * Math.max(1, scale(out[0])), what + ": features differ by " + features);
    }

    static Block initialised(Block b, NDManager m, int size) {
        b.initialize(m, DataType.FLOAT32, new Shape(2, 3, size, size));
        return b;
    }

    @Test
    void resnet50MatchesTorchvisionAndReportsTheClassifierAsUnused() throws Exception {
        JsonNode ref = reference("torchvision_resnet50");
        List<Tensor> tensors = DeterministicWeights.stateDict(ref);
        Path file = dir.resolve("resnet50.safetensors");
        SafeTensors.write(file, tensors, "F32");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Block net = initialised(ResNet.resnet50(), m, 224);
            WeightImport.Report r = WeightImport.load(net, TensorSource.safetensors(file), TorchLayouts.resnet());
            assertEquals(List.of("fc.weight", "fc.bias"), r.ignored(), r.summary());
            assertEquals(WeightImport.parameters(net).size(), r.loaded());
            assertParity(ref, run(net, 224, tensors, "fc.weight", "fc.bias"), "resnet50");
        }
    }

    @Test
    void vitB16MatchesTorchvisionFromBothNamings() throws Exception {
        JsonNode ref = reference("torchvision_vit_b_16");
        List<Tensor> tensors = DeterministicWeights.stateDict(ref);
        Path torchvision = dir.resolve("vit_b_16.safetensors");
        SafeTensors.write(torchvision, tensors, "F32");
        checkVit(ref, torchvision, 224, tensors, "torchvision vit_b_16", "heads.head.", "vit_b_16");
        // The same weights under timm's names (vit_base_patch16_224): qkv is torchvision's in_proj, fc1/fc2 its mlp.
        List<Tensor> timm = new ArrayList<>();
        for (Tensor t : tensors) {
            timm.add(new Tensor(timmName(t.name()), t.shape(), t.data()));
        }
        Path timmFile = dir.resolve("vit_base_patch16_224.safetensors");
        SafeTensors.write(timmFile, timm, "F32");
        checkVit(ref, timmFile, 224, timm, "timm vit", "head.", "vit_base_patch16_224 (timm)");
        // At 160 px the 14x14 position grid is resized to 10x10 as torchvision's interpolate_embeddings does.
        checkVit(reference("torchvision_vit_b_16_at_160"), torchvision, 160, tensors, "torchvision vit_b_16",
                "heads.head.", "vit_b_16 at 160");
    }

    /**
     * Imports {@code file} into a ViT-B/16 for {@code size} px through the detected layout, checks which layout and
     * which unused tensors (the classifier {@code head}*) it reports, and compares with the reference outputs.
     */
    void checkVit(JsonNode ref, Path file, int size, List<Tensor> tensors, String layout, String head, String what)
            throws Exception {
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Block net = initialised(new VisionTransformer(size, 16, 768, 12, 12, 4, 1e-6f), m, size);
            TensorSource src = TensorSource.safetensors(file);
            WeightImport.Report r = WeightImport.load(net, src, TorchLayouts.detectVit(src.names()));
            assertEquals(layout, r.layout());
            assertEquals(List.of(head + "weight", head + "bias"), r.ignored());
            assertParity(ref, run(net, size, tensors, head + "weight", head + "bias"), what);
        }
    }

    static String timmName(String tv) {
        String n = tv.replace("class_token", "cls_token").replace("encoder.pos_embedding", "pos_embed")
                .replace("conv_proj.", "patch_embed.proj.").replace("encoder.ln.", "norm.")
                .replace("heads.head.", "head.").replace("encoder.layers.encoder_layer_", "blocks.")
                .replace(".ln_1.", ".norm1.").replace(".ln_2.", ".norm2.")
                .replace(".self_attention.in_proj_weight", ".attn.qkv.weight")
                .replace(".self_attention.in_proj_bias", ".attn.qkv.bias")
                .replace(".self_attention.out_proj.", ".attn.proj.").replace(".mlp.0.", ".mlp.fc1.")
                .replace(".mlp.3.", ".mlp.fc2.");
        return n;
    }

    @Test
    void aWrongShapeOrAMissingKeyFailsNamingItAndLoadsNothing() throws Exception {
        JsonNode ref = reference("torchvision_resnet50");
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : DeterministicWeights.stateDict(ref)) {
            if (t.name().equals("layer3.2.conv2.weight")) {
                continue; // missing
            }
            if (t.name().equals("layer1.0.bn1.weight")) {
                t = new Tensor(t.name(), new long[] {65}, java.util.Arrays.copyOf(t.data(), 65)); // wrong shape
            }
            tensors.add(t);
        }
        Path file = dir.resolve("broken.safetensors");
        SafeTensors.write(file, tensors, "F32");
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            Block net = initialised(ResNet.resnet50(), m, 64);
            float[] before = net.getParameters().get(0).getValue().getArray().toFloatArray();
            WeightImportException e = assertThrows(WeightImportException.class,
                    () -> WeightImport.load(net, TensorSource.safetensors(file), TorchLayouts.resnet()));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().contains("layer3.2.conv2.weight [256, 256, 3, 3]"), e.getMessage());
            assertTrue(e.getMessage().contains("layer1.0.bn1.weight has shape [65], expected [64]"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            float[] after = net.getParameters().get(0).getValue().getArray().toFloatArray();
            assertTrue(java.util.Arrays.equals(before, after), "nothing is loaded when the file does not fit");
        }
    }
}
