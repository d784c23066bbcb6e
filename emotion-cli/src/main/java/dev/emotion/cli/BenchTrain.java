package dev.emotion.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import dev.emotion.core.models.EmotionNet;
import dev.emotion.core.training.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bench-train}: images/s of every architecture on this machine, forward (inference, batch 32) and one
 * training step (forward, backward, AdamW; frozen backbones run forward only, as without the feature cache), on
 * random inputs of each spec's size. Prints a markdown table.
 */
final class BenchTrain {

    static final String HELP = """
            Usage: ./emotion bench-train [--batch 16] [--seconds 8] [--models cnn_simple,vit_scratch,...]
            Prints forward and training images/s per architecture (for docs/benchmarks.md).""";

    private BenchTrain() {
    }

    static int run(List<String> argv) {
        Args a = new Args("bench-train", argv, Set.of("batch", "seconds", "models"), Set.of());
        int batch = a.integer("batch", 16);
        double seconds = a.number("seconds", 8);
        List<Architecture> archs = new ArrayList<>();
        for (String m : a.get("models", "cnn_simple,vit_scratch,resnet_pretrained,vit_pretrained").split(",")) {
            archs.add(Architecture.valueOf(m.trim().toUpperCase(Locale.ROOT)));
        }
        Engine engine = Engine.getEngine("PyTorch");
        System.out.printf(Locale.ROOT, "Machine: %d cores, %s, DJL PyTorch %s; batch %d%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"), engine.getVersion(),
                batch);
        System.out.println("| model | input | params (trainable) | forward img/s (batch 32) | train step img/s "
                + "| head-only step on cached features img/s (speed-up per epoch after the first) |");
        System.out.println("|---|---|---|---|---|---|");
        for (Architecture arch : archs) {
            try (NDManager root = engine.newBaseManager()) {
                EmotionNet net = EmotionNet.build(arch, Task.EMOTION_CLASS);
                int s = net.spec().inputSize();
                net.initialize(root, 2);
                ParameterStore ps = new ParameterStore(root, false);
                double fwd = rate(seconds / 2, 32, () -> {
                    try (NDManager step = root.newSubManager()) {
                        net.forward(ps, new NDList(step.randomUniform(-1, 1, new Shape(32, 3, s, s))), false);
                    }
                });
                List<NDArray> params = new ArrayList<>();
                for (var p : net.getParameters()) {
                    Parameter param = p.getValue();
                    if (param.requiresGradient()) {
                        params.add(param.getArray());
                    }
                }
                AdamW opt = new AdamW(root, params, 0.05f);
                double train = rate(seconds, batch, () -> {
                    try (NDManager step = root.newSubManager()) {
                        NDArray x = step.randomUniform(-1, 1, new Shape(batch, 3, s, s));
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            gc.backward(net.forward(ps, new NDList(x), true).get(0).logSoftmax(1).mean().neg());
                        }
                        opt.update(1e-4f);
                    }
                });
                String cached = "-";
                if (net.spec().pretrainedBackbone()) {
                    long dim = net.backbone().getOutputShapes(new Shape[] {new Shape(1, 3, s, s)})[0].get(1);
                    double head = rate(seconds / 2, batch, () -> {
                        try (NDManager step = root.newSubManager()) {
                            NDArray f = step.randomUniform(-1, 1, new Shape(batch, dim));
                            try (GradientCollector gc = engine.newGradientCollector()) {
                                gc.backward(net.head().forward(ps, new NDList(f), true).singletonOrThrow()
                                        .logSoftmax(1).mean().neg());
                            }
                            opt.update(1e-4f);
                        }
                    });
                    cached = String.format(Locale.ROOT, "%.0f (%.0fx)", head, head / train);
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %,d (%,d) | %.1f | %.1f | %s |%n", arch.id(), s,
                        net.parameterCount(false), net.parameterCount(true), fwd, train, cached);
                BenchSummary.add("training", arch.id() + ": forward / train step / cached head",
                        String.format(Locale.ROOT, "%.1f / %.1f / %s img/s", fwd, train, cached));
            }
        }
        return 0;
    }

    /** Images per second of {@code step} (which handles {@code perStep} images), after two warm-up steps. */
    private static double rate(double seconds, int perStep, Runnable step) {
        step.run();
        step.run();
        long t0 = System.nanoTime();
        int n = 0;
        while ((System.nanoTime() - t0) / 1e9 < seconds || n < 2) {
            step.run();
            n++;
        }
        return n * perStep / ((System.nanoTime() - t0) / 1e9);
    }
}
