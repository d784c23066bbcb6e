package dev.emotion.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Task;
import dev.emotion.core.training.TrainingFixtures;
import dev.emotion.core.training.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching: concurrent requests that announced themselves are gathered into one forward pass, a lone request is
 * scored without waiting for the delay, and batched results equal one-by-one results.
 */
class DynamicBatcherTest {

    @TempDir
    Path dir;

    static float[] input(TrainedModel m, long seed) {
        float[] x = new float[3 * m.inputSize() * m.inputSize()];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void gathersAnnouncedRequestsAndNeverMakesALoneOneWait() throws Exception {
        try (ModelSlot slot = new ModelSlot()) {
            slot.swap(TrainedModel.open(TrainingFixtures.modelDir(dir, Architecture.CNN_SIMPLE, Task.EMOTION_CLASS)));
            // a 10-minute delay: a request that waited for it would time out below
            try (DynamicBatcher batcher = new DynamicBatcher(32, 600_000); ModelSlot.Lease lease = slot.acquire()) {
                TrainedModel m = lease.model();
                // a lone request: scored as soon as its crop is in
                DynamicBatcher.Expectation alone = batcher.expect();
                CompletableFuture<DynamicBatcher.Result> f = batcher.submit(lease, input(m, 1));
                alone.close();
                double[] lone = f.get(60, TimeUnit.SECONDS).probabilities();
                assertEquals(1.0, batcher.meanBatchSize(), 1e-9);

                // four requests announced together, submitting one after another: one forward pass
                List<DynamicBatcher.Expectation> four = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    four.add(batcher.expect());
                }
                List<CompletableFuture<DynamicBatcher.Result>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(20); // detection time of the others
                    results.add(batcher.submit(lease, input(m, 1 + i)));
                    four.get(i).close();
                }
                for (CompletableFuture<DynamicBatcher.Result> r : results) {
                    r.get(60, TimeUnit.SECONDS);
                }
                assertEquals((1 + 4) / 2.0, batcher.meanBatchSize(), 1e-9, "two passes: 1 crop, then 4 together");
                // the same input gives the same probabilities alone and in a batch
                assertArrayEquals(lone, results.get(0).get().probabilities(), 1e-5);
            }
        }
    }
}
