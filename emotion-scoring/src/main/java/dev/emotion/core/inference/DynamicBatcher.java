package dev.emotion.core.inference;

import dev.emotion.core.training.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Groups face crops from concurrent requests into one forward pass (as DJL Serving's batch_size and
 * max_batch_delay do): the batch closes when {@code maxBatch} crops are waiting or {@code maxDelayMs} after its first
 * crop arrived, and at once when no request is still preparing crops: callers announce themselves with
 * {@link #expect()} before detecting faces and close it once their crops are submitted, so a lone request never
 * waits for the delay, while concurrent ones are gathered. Crops are queued with the model they were prepared for;
 * a batch never mixes models (a model switch closes the batch). With {@code maxBatch == 1} every crop is scored on
 * the caller's thread.
 */
public final class DynamicBatcher implements AutoCloseable {

    /** The probabilities of one crop, and the model that produced them. */
    public record Result(double[] probabilities, String modelId) {
    }

    private record Job(ModelSlot.Lease lease, float[] input, CompletableFuture<Result> done) {
    }

    private final int maxBatch;
    private final long maxDelayNanos;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong crops = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger preparing = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running = true;

    /** A request that will submit crops: while open, the batcher may wait (up to the delay) for its crops. */
    public final class Expectation implements AutoCloseable {
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

        private Expectation() {
            preparing.incrementAndGet();
        }

        /** Every crop of this request is submitted (idempotent). */
        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                preparing.decrementAndGet();
            }
        }
    }

    /** Announces a request that is about to submit crops (close it after the last {@link #submit}). */
    public Expectation expect() {
        return new Expectation();
    }

    public DynamicBatcher(int maxBatch, long maxDelayMs) {
        this.maxBatch = Math.max(1, maxBatch);
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxDelayMs));
        this.worker = new Thread(this::loop, "dynamic-batcher");
        this.worker.setDaemon(true);
        if (this.maxBatch > 1) {
            worker.start();
        }
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Mean crops per forward pass so far. */
    public double meanBatchSize() {
        long b = batches.get();
        return b == 0 ? 0 : (double) crops.get() / b;
    }

    /**
     * Scores one prepared crop (the model's input layout) with the leased model; the lease stays held until the
     * crop is scored, the caller still closes it.
     */
    public CompletableFuture<Result> submit(ModelSlot.Lease lease, float[] input) {
        if (maxBatch == 1) {
            try {
                return CompletableFuture.completedFuture(run(List.of(new Job(lease, input, null)))[0]);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new IllegalStateException("the batcher is closed"));
            return f;
        }
        queue.add(new Job(lease, input, f));
        return f;
    }

    private void loop() {
        List<Job> batch = new ArrayList<>();
        Job carried = null;
        while (running) {
            try {
                Job first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    Job next = queue.poll();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (preparing.get() <= 0 || wait <= 0) {
                            break; // nobody is about to submit, or the delay is spent
                        }
                        next = queue.poll(Math.min(wait, 200_000L), TimeUnit.NANOSECONDS);
                        if (next == null) {
                            continue; // look again at who is still preparing
                        }
                    }
                    if (next.lease().model() != first.lease().model()) {
                        carried = next; // another model: it starts the next batch
                        break;
                    }
                    batch.add(next);
                }
                try {
                    Result[] results = run(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).done().complete(results[i]);
                    }
                } catch (RuntimeException e) {
                    batch.forEach(j -> j.done().completeExceptionally(e));
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Job j;
        while ((j = queue.poll()) != null) {
            j.done().completeExceptionally(new IllegalStateException("the batcher was closed"));
        }
    }

    private Result[] run(List<Job> jobs) {
        TrainedModel model = jobs.get(0).lease().model();
        int per = jobs.get(0).input().length;
        float[] input = new float[per * jobs.size()];
        for (int i = 0; i < jobs.size(); i++) {
            System.arraycopy(jobs.get(i).input(), 0, input, i * per, per);
        }
        double[][] probs = model.probabilities(model.score(input, jobs.size(), false));
        batches.incrementAndGet();
        crops.addAndGet(jobs.size());
        Result[] out = new Result[jobs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Result(probs[i], model.modelId());
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
