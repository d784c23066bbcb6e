package dev.emotion.core.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every architecture builds with its documented size, runs forward and backward, and trains only its head when frozen. */
class ArchitecturesTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void buildsRunsForwardAndBackward(Architecture a) {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            EmotionNet net = EmotionNet.build(a, Task.EMOTION_CLASS);
            int size = net.spec().inputSize();
            net.initialize(manager, 2);
            long total = net.parameterCount(false);
            long trainable = net.parameterCount(true);
            System.out.printf("%s: %,d parameters, %,d trainable%n", a.id(), total, trainable);
            switch (a) {
                case CNN_SIMPLE -> {
                    assertTrue(total > 1_700_000 && total < 2_100_000, "~2M: " + total);
                    assertEquals(total, trainable);
                }
                case VIT_SCRATCH -> {
                    assertTrue(total > 10_500_000 && total < 12_500_000, "~11M: " + total);
                    assertEquals(total, trainable);
                }
                // torchvision resnet50 without fc: 25,557,032 - 2,049,000; head 2048-1024-8.
                case RESNET_PRETRAINED -> {
                    assertEquals(23_508_032L + 2_106_376L, total);
                    assertEquals(2_106_376L, trainable);
                }
                // timm vit_base_patch16_224 without its head: 86,567,656 - 769,000; head 768-1024-8.
                case VIT_PRETRAINED -> {
                    assertEquals(85_798_656L + 795_656L, total);
                    assertEquals(795_656L, trainable);
                }
                // face-api's expression net: 323,687 values in its TFJS file, fc (7 x 256 + 7) as the head
                case FACE_EXPRESSION_BASELINE -> {
                    assertEquals(323_687L, total);
                    assertEquals(1_799L, trainable);
                }
                default -> throw new AssertionError(a);
            }
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(-1, 1, new Shape(2, 3, size, size));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDList out = net.forward(ps, new NDList(x), true);
                assertArrayEquals(new long[] {2, 8}, out.get(0).getShape().getShape());
                if (net.isVit()) {
                    VisionTransformer vit = (VisionTransformer) net.backbone();
                    assertEquals(vit.depth() + 1, out.size(), "one attention map per block");
                    NDArray attn = out.get(1);
                    long tokens = attn.getShape().get(3);
                    assertEquals(attn.getShape().get(2), tokens);
                    NDArray rowSums = attn.sum(new int[] {3});
                    assertTrue(rowSums.sub(1).abs().max().getFloat() < 1e-4, "attention rows are distributions");
                }
                gc.backward(out.get(0).sum());
            }
            var head = net.head().getParameters().valueAt(0).getArray();
            assertTrue(head.getGradient().abs().sum().getFloat() > 0, "the head receives gradients");
            if (net.spec().pretrainedBackbone()) {
                net.backbone().getParameters().forEach(p -> assertTrue(!p.getValue().requiresGradient(),
                        p.getKey() + " is frozen"));
            }
        }
    }

    /** The offline face backbones build at their own input size with the counts of their TFJS files. */
    @Test
    void faceBackbonesBuildAtTheirInputSize() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (Backbone b : new Backbone[] {Backbone.RESNET34_FACES, Backbone.FACE_EXPRESSION}) {
                EmotionNet net = EmotionNet.build(ModelSpec.of(Architecture.RESNET_PRETRAINED, b),
                        Task.EMOTION_CLASS);
                net.initialize(manager, 2);
                assertEquals(b.inputSize(), net.spec().inputSize());
                long backbone = net.parameterCount(false) - net.parameterCount(true);
                // recognition: 5,614,592 values minus its 256 x 128 descriptor projection; expression: minus fc
                assertEquals(b == Backbone.RESNET34_FACES ? 5_581_824L : 321_888L, backbone, b.id());
                assertEquals(256L * 1024 + 1024 + 1024L * 8 + 8, net.parameterCount(true), b.id());
                NDArray x = manager.randomUniform(-1, 1, new Shape(2, 3, b.inputSize(), b.inputSize()));
                NDList out = net.forward(new ParameterStore(manager, false), new NDList(x), false);
                assertArrayEquals(new long[] {2, 8}, out.get(0).getShape().getShape());
            }
        }
    }

    /**
     * Stochastic depth: while training, a block at drop-path 0.5 skips both residual branches for about a quarter
     * of the samples (their tokens pass through unchanged); at inference it never skips.
     */
    @Test
    void dropPathSkipsWholeSamplesOnlyWhileTraining() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            TransformerBlock block = new TransformerBlock(16, 2, 2, 1e-6f, 0.5f);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(200, 5, 16));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(200, 5, 16));
            int unchangedTraining = unchanged(x, block.forward(ps, new NDList(x), true).get(0));
            int unchangedInference = unchanged(x, block.forward(ps, new NDList(x), false).get(0));
            assertTrue(unchangedTraining > 25 && unchangedTraining < 75, "expected ~50 of 200 samples skipped, got "
                    + unchangedTraining);
            assertEquals(0, unchangedInference);
            assertEquals(EmotionNet.VIT_SCRATCH_DROP_PATH, ((VisionTransformer) EmotionNet.build(
                    Architecture.VIT_SCRATCH, Task.EMOTION_CLASS).backbone()).blocks().get(5).dropPathRate(), 1e-6);
        }
    }

    /**
     * resnet_pretrained can fine-tune its backbone's last stage: on the face-expression backbone that is dense3 (its
     * parameters become trainable, earlier blocks stay frozen); cnn_simple has nothing to unfreeze.
     */
    @Test
    void resnetPretrainedUnfreezesOnlyItsLastStage() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            EmotionNet net = EmotionNet.build(ModelSpec.of(Architecture.RESNET_PRETRAINED, Backbone.FACE_EXPRESSION),
                    Task.EMOTION_CLASS);
            net.initialize(manager, 2);
            long headOnly = net.parameterCount(true);
            net.unfreezeLastBlock();
            long dense3 = 0;
            for (var p : net.getParameters()) {
                if (p.getKey().startsWith("01backbone_04dense3") || p.getKey().contains("dense3")) {
                    dense3 += p.getValue().getArray().size();
                }
                if (p.getKey().contains("dense0")) {
                    assertTrue(!p.getValue().requiresGradient(), p.getKey() + " must stay frozen");
                }
            }
            assertTrue(dense3 > 0, "dense3 parameters found");
            assertEquals(headOnly + dense3, net.parameterCount(true));
            EmotionNet cnn = EmotionNet.build(Architecture.CNN_SIMPLE, Task.EMOTION_CLASS);
            assertThrows(IllegalArgumentException.class, cnn::unfreezeLastBlock);
        }
    }

    private static int unchanged(NDArray in, NDArray out) {
        float[] a = in.toFloatArray();
        float[] b = out.toFloatArray();
        int per = a.length / 200;
        int n = 0;
        for (int s = 0; s < 200; s++) {
            boolean same = true;
            for (int j = s * per; j < (s + 1) * per && same; j++) {
                same = Math.abs(a[j] - b[j]) < 1e-6;
            }
            n += same ? 1 : 0;
        }
        return n;
    }
}
