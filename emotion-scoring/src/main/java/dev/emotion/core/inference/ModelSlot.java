package dev.emotion.core.inference;

import dev.emotion.core.training.TrainedModel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swappable while requests run: a request leases the current model and releases it when
 * done; {@link #swap} installs a fully loaded model atomically, and the previous one is closed only after its last
 * lease is released. So requests in flight finish on the old model, new ones get the new one, none fails.
 */
public final class ModelSlot implements AutoCloseable {

    /** A leased model; close the lease (not the model) when the request is done. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public TrainedModel model() {
            return entry.model;
        }

        @Override
        public void close() {
            entry.release();
        }
    }

    private static final class Entry {
        final TrainedModel model;
        final AtomicInteger leases = new AtomicInteger(1); // the slot's own reference

        Entry(TrainedModel model) {
            this.model = model;
        }

        boolean retain() {
            while (true) {
                int n = leases.get();
                if (n == 0) {
                    return false; // already retired
                }
                if (leases.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (leases.decrementAndGet() == 0) {
                model.close();
            }
        }
    }

    private final AtomicReference<Entry> current = new AtomicReference<>();

    /** The current model, leased; empty-handed callers get {@code null} when nothing is loaded. */
    public Lease acquire() {
        while (true) {
            Entry e = current.get();
            if (e == null) {
                return null;
            }
            if (e.retain()) {
                return new Lease(e);
            }
        }
    }

    public boolean loaded() {
        return current.get() != null;
    }

    public String modelId() {
        Entry e = current.get();
        return e == null ? null : e.model.modelId();
    }

    /** Installs {@code next}; the previous model closes once its last lease ends. */
    public void swap(TrainedModel next) {
        Entry old = current.getAndSet(new Entry(next));
        if (old != null) {
            old.release();
        }
    }

    @Override
    public void close() {
        Entry old = current.getAndSet(null);
        if (old != null) {
            old.release();
        }
    }
}
