package dev.emotion.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoReaderTest {

    @TempDir
    Path dir;

    @Test
    void decodesARealVideoWithItsTimestampsAndSamples() {
        Path video = TestFiles.testdata("Megamind.avi");
        List<Long> all = new ArrayList<>();
        try (VideoReader r = VideoReader.open(video)) {
            VideoInfo info = r.info();
            System.out.println(info);
            assertEquals(720, info.width());
            assertEquals(528, info.height());
            VideoReader.DecodeStats stats = r.decode(1000, (i, ts, bgr) -> {
                assertEquals(720, bgr.cols());
                all.add(ts);
            });
            System.out.println(stats);
            assertEquals(stats.framesRead(), stats.framesSampled(), "below the cap every frame is kept");
        }
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i) > all.get(i - 1), "timestamps increase");
        }
        List<Long> five = new ArrayList<>();
        try (VideoReader r = VideoReader.open(video)) {
            r.decode(5, (i, ts, bgr) -> five.add(ts));
        }
        double seconds = all.get(all.size() - 1) / 1000.0;
        assertTrue(Math.abs(five.size() - seconds * 5) <= 2, five.size() + " frames at 5 fps over " + seconds + " s");
        for (int i = 1; i < five.size(); i++) {
            long gap = five.get(i) - five.get(i - 1);
            assertTrue(gap >= 150 && gap <= 250, "5 fps spacing, got " + gap + " ms");
        }
    }

    @Test
    void refusesWhatIsNotAVideo() throws IOException {
        Path text = Files.writeString(dir.resolve("labels.mp4"), "Timestamp,Joy\n1,2\n");
        VideoException e = assertThrows(VideoException.class, () -> VideoReader.open(text));
        assertTrue(e.getMessage().startsWith(text + ": not a video FFmpeg can read"), e.getMessage());
        VideoException missing = assertThrows(VideoException.class, () -> VideoReader.open(dir.resolve("none.mp4")));
        assertTrue(missing.getMessage().endsWith("none.mp4: no such file"));
    }

    @Test
    void aTruncatedVideoFailsWithTheFileNamedInsteadOfPassingForComplete() throws IOException {
        byte[] whole = Files.readAllBytes(TestFiles.testdata("Megamind.avi"));
        Path cut = dir.resolve("cut.avi");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 5));
        List<Long> seen = new ArrayList<>();
        VideoException e = assertThrows(VideoException.class, () -> {
            try (VideoReader r = VideoReader.open(cut)) {
                r.decode(30, (i, ts, bgr) -> seen.add(ts));
            }
        });
        assertTrue(e.getMessage().startsWith(cut + ": decoding stopped at "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void samplerKeepsTheFirstFrameOfEachSlotAndSkipsGaps() {
        FrameSampler s = new FrameSampler(10, 30);
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < 1000; t += 33) {
            if (s.keep(t)) {
                kept.add(t);
            }
        }
        assertEquals(List.of(0, 99, 198, 297, 396, 495, 594, 693, 792, 891, 990), kept);
        FrameSampler vfr = new FrameSampler(30, 30);
        assertTrue(vfr.keep(0));
        assertTrue(vfr.keep(500), "after a 0.5 s gap the next frame is kept");
        assertTrue(vfr.keep(533));
        assertTrue(!vfr.keep(540), "a frame 7 ms later is a duplicate for the slot");
    }
}
