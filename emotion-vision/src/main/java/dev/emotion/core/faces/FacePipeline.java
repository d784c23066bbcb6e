package dev.emotion.core.faces;

import dev.emotion.core.video.VideoException;
import dev.emotion.core.video.VideoInfo;
import dev.emotion.core.video.VideoReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Video in, tracked face crops out: decode and sample, detect, track, crop, JPEG-encode. Three stages on three
 * threads joined by small bounded queues, so that both cores stay busy: decoding; detection and tracking; cropping,
 * encoding and the sink (which usually publishes), called on the caller's thread in frame order.
 */
public final class FacePipeline {

    /**
     * @param maxFps     sampling cap (native rate up to this)
     * @param cropSize   side of the square crops in pixels
     * @param enlarge    crop side / longer box side
     * @param jpegQuality JPEG quality of the crops
     * @param alignEyes  rotate each crop so that the eyes are level (roll correction; see {@link FaceCropper})
     */
    public record Options(double maxFps, int cropSize, double enlarge, int jpegQuality, boolean alignEyes) {
        public static final Options DEFAULT = new Options(30, 224, 1.4, 90);

        /** Box-centred crops without eye alignment, the default (measured: docs/training.md). */
        public Options(double maxFps, int cropSize, double enlarge, int jpegQuality) {
            this(maxFps, cropSize, enlarge, jpegQuality, false);
        }
    }

    /** What a run saw. */
    public record Result(VideoInfo video, int framesRead, int framesSampled, long faces, long lastTimestampMs) {
    }

    private static final int QUEUE = 8;
    private final FaceDetector detector;
    private final Options options;
    private final FaceCropper cropper;

    public FacePipeline(FaceDetector detector, Options options) {
        this.detector = detector;
        this.options = options;
        this.cropper = new FaceCropper(options.cropSize(), options.enlarge(), options.jpegQuality(),
                options.alignEyes());
    }

    private record Item(int index, long ts, Mat bgr, RuntimeException failure, VideoReader.DecodeStats stats) {
    }

    /** A frame with its faces found and tracked, on its way to cropping. */
    private record Detected(Item frame, List<Detection> faces, int[] ids) {
    }

    public Result run(Path video, Consumer<FrameFaces> sink) {
        try (VideoReader reader = VideoReader.open(video)) {
            return run(reader, sink);
        }
    }

    /** Runs on an open reader (the caller may have looked at its {@link VideoReader#info} first) and leaves it open. */
    public Result run(VideoReader reader, Consumer<FrameFaces> sink) {
        Path video = reader.file();
        {
            BlockingQueue<Item> decoded = new ArrayBlockingQueue<>(QUEUE);
            BlockingQueue<Detected> detected = new ArrayBlockingQueue<>(QUEUE);
            Thread decoder = new Thread(() -> decode(reader, options.maxFps(), decoded), "decode-" + video.getFileName());
            Thread finder = new Thread(() -> detect(decoded, detected), "detect-" + video.getFileName());
            decoder.setDaemon(true);
            finder.setDaemon(true);
            decoder.start();
            finder.start();
            long faces = 0;
            try {
                while (true) {
                    Detected d = detected.take();
                    Item item = d.frame();
                    if (item.failure() != null) {
                        throw item.failure();
                    }
                    if (item.stats() != null) {
                        return new Result(reader.info(), item.stats().framesRead(), item.stats().framesSampled(),
                                faces, item.stats().lastTimestampMs());
                    }
                    try (PointerScope scope = new PointerScope(); Mat bgr = item.bgr()) {
                        List<FaceCrop> crops = new ArrayList<>(d.faces().size());
                        for (int i = 0; i < d.faces().size(); i++) {
                            crops.add(new FaceCrop(d.ids()[i], d.faces().get(i), cropper.cropJpeg(bgr, d.faces().get(i))));
                        }
                        faces += crops.size();
                        sink.accept(new FrameFaces(item.index(), item.ts(), crops));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VideoException(video, "interrupted", e);
            } finally {
                decoder.interrupt();
                finder.interrupt();
                for (Thread t : new Thread[] {decoder, finder}) {
                    try {
                        t.join(5000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                drain(decoded);
                Detected left;
                while ((left = detected.poll()) != null) {
                    if (left.frame().bgr() != null) {
                        left.frame().bgr().close();
                    }
                }
            }
        }
    }

    /** Second stage: find and track faces; the frame travels on to the caller, who crops and closes it. */
    private void detect(BlockingQueue<Item> in, BlockingQueue<Detected> out) {
        IouTracker tracker = new IouTracker(0.3f, 15);
        try {
            while (true) {
                Item item = in.take();
                if (item.bgr() == null) {
                    out.put(new Detected(item, List.of(), new int[0]));
                    return;
                }
                Detected d;
                try (PointerScope scope = new PointerScope()) {
                    List<Detection> found = detector.detect(item.bgr());
                    d = new Detected(item, found, tracker.assign(found));
                } catch (RuntimeException e) {
                    item.bgr().close();
                    out.put(new Detected(new Item(0, 0, null, e, null), List.of(), new int[0]));
                    return;
                }
                out.put(d);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void decode(VideoReader reader, double maxFps, BlockingQueue<Item> queue) {
        try {
            VideoReader.DecodeStats stats = reader.decode(maxFps, (index, ts, bgr) -> {
                Mat copy = VideoReader.keep(bgr); // the consumer closes it
                try {
                    queue.put(new Item(index, ts, copy, null, null));
                } catch (InterruptedException e) {
                    copy.close();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("decoding cancelled");
                }
            });
            queue.put(new Item(0, 0, null, null, stats));
        } catch (RuntimeException e) {
            offer(queue, new Item(0, 0, null, e, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void offer(BlockingQueue<Item> queue, Item item) {
        try {
            queue.offer(item, 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(BlockingQueue<Item> queue) {
        Item left;
        while ((left = queue.poll()) != null) {
            if (left.bgr() != null) {
                left.bgr().close();
            }
        }
    }
}
