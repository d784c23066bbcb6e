package dev.emotion.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StreamTracksTest {

    @Test
    void aStreamKeepsItsTracksUntilIdleOrCrowdedOut() {
        AtomicLong now = new AtomicLong();
        StreamTracks t = new StreamTracks(3, 1000, now::get);
        FaceTracks a = t.get("a");
        assertSame(a, t.get("a"), "the same stream, the same tracks");
        t.get("b");
        t.get("c");
        t.get("a"); // a is now the most recently seen
        t.get("d"); // over the cap: b, the least recently seen, is forgotten
        assertEquals(3, t.size());
        assertSame(a, t.get("a"));
        now.addAndGet(999_000_000L);
        t.get("c");
        now.addAndGet(2_000_000L); // a and d have been silent for 1.001 s, c for 2 ms
        FaceTracks again = t.get("e");
        assertEquals(2, t.size(), "only c and e are left");
        assertNotSame(a, t.get("a"), "a silent stream starts fresh");
        assertEquals(3, t.evicted(), "b for room, a and d idle (a came back as a new stream)");
        assertSame(again, t.get("e"));
        for (int i = 0; i < 10_000; i++) {
            t.get("s" + i);
        }
        assertEquals(3, t.size(), "bounded whatever the number of stream ids");
    }
}
