package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;

import dev.emotion.core.training.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a model costs on this machine: parameters, size on disk, single-image latency (p50/p95 over timed runs after
 * warm-up), batch-32 throughput, and the process's peak resident memory growth while measuring (VmHWM from
 * /proc; the high-water mark of the whole process, so the first model measured also pays for the engine).
 */
public record Efficiency(long totalParameters, long trainableParameters, long sizeBytes, double latencyP50Ms,
                         double latencyP95Ms, double throughputImagesPerSecond, long peakMemoryGrowthBytes,
                         int latencyRuns, String machine) {

    public static Efficiency measure(TrainedModel model, int warmup, int runs, int throughputBatches) {
        long hwmBefore = highWaterMark();
        int s = model.inputSize();
        float[] one = new float[3 * s * s];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < one.length; i++) {
            one[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < warmup; i++) {
            model.score(one, 1, false);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            model.score(one, 1, false);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        float[] batch = new float[32 * one.length];
        for (int i = 0; i < 32; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        model.score(batch, 32, false);
        long t = System.nanoTime();
        for (int i = 0; i < throughputBatches; i++) {
            model.score(batch, 32, false);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        return new Efficiency(model.parameterCount(false), model.parameterCount(true), model.sizeBytes(),
                Bootstrap.percentile(ms, 0.5), Bootstrap.percentile(ms, 0.95), 32.0 * throughputBatches / seconds,
                Math.max(0, highWaterMark() - hwmBefore), runs, machineName());
    }

    static String machineName() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch") + ", CPU";
    }

    /** Peak resident set size of this process in bytes, or 0 where /proc is not available. */
    static long highWaterMark() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
