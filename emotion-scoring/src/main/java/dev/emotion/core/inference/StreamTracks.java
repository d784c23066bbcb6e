package dev.emotion.core.inference;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The face tracks of many live streams (Kafka stream ids), bounded: a stream silent for longer than the idle time
 * is forgotten (its next frame starts fresh: new face ids, cold baselines), and beyond the cap the least recently
 * seen stream is forgotten, so memory does not grow with every stream id ever seen.
 */
public final class StreamTracks {

    private record Entry(FaceTracks tracks, long lastSeenNanos) {
    }

    private final int maxStreams;
    private final long idleNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> streams = new LinkedHashMap<>(16, 0.75f, true);
    private long evicted;

    public StreamTracks(int maxStreams, long idleMillis) {
        this(maxStreams, idleMillis, System::nanoTime);
    }

    StreamTracks(int maxStreams, long idleMillis, LongSupplier clock) {
        if (maxStreams < 1 || idleMillis < 1) {
            throw new IllegalArgumentException("maxStreams and idleMillis must be positive");
        }
        this.maxStreams = maxStreams;
        this.idleNanos = idleMillis * 1_000_000L;
        this.clock = clock;
    }

    /** The stream's tracks (new when unknown, idle too long, or forgotten for room), marked as seen now. */
    public synchronized FaceTracks get(String streamId) {
        long now = clock.getAsLong();
        // least recently seen first: stop at the first stream that is still fresh
        for (Iterator<Map.Entry<String, Entry>> it = streams.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            if (now - e.getValue().lastSeenNanos() <= idleNanos) {
                break;
            }
            it.remove();
            evicted++;
        }
        Entry e = streams.get(streamId);
        FaceTracks tracks = e == null ? new FaceTracks() : e.tracks();
        streams.put(streamId, new Entry(tracks, now));
        while (streams.size() > maxStreams) {
            Iterator<String> eldest = streams.keySet().iterator();
            eldest.next();
            eldest.remove();
            evicted++;
        }
        return tracks;
    }

    public synchronized int size() {
        return streams.size();
    }

    /** Streams forgotten so far (idle or for room). */
    public synchronized long evicted() {
        return evicted;
    }
}
