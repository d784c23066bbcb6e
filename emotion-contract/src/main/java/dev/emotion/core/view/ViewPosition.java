package dev.emotion.core.view;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a view has read its topic, per partition: a worker about to act on a job's state waits until the view
 * has read everything published so far ({@link #caughtUp}), so a redelivered request sees that its job ended.
 */
public final class ViewPosition {

    private final Map<Integer, Long> read = new ConcurrentHashMap<>();

    /** The view has applied the record at {@code offset} of {@code partition}. */
    public void seen(int partition, long offset) {
        read.merge(partition, offset, Math::max);
    }

    /** Whether every partition has been read up to (not including) its end offset (partition -> end offset). */
    public boolean caughtUp(Map<Integer, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(e -> e.getValue() == 0
                || read.getOrDefault(e.getKey(), -1L) >= e.getValue() - 1);
    }
}
