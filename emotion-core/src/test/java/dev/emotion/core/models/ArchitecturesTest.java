package dev.emotion.core.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
