package dev.emotion.core.video;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes any video FFmpeg reads (mp4, avi, mov, mkv; H.264, MPEG-4, MJPEG, VFR...) and hands sampled frames, as
 * BGR images with their real presentation timestamps, to a sink. Native memory stays flat: every frame's native
 * work runs in its own {@link PointerScope}.
 */
public final class VideoReader implements AutoCloseable {

    /** Receives one sampled frame; {@code bgr} is valid only during the call (clone it to keep it). */
    @FunctionalInterface
    public interface FrameSink {
        void frame(int index, long timestampMs, Mat bgr);
    }

    /** What a decode pass saw. */
    public record DecodeStats(int framesRead, int framesSampled, long lastTimestampMs) {
    }

    static {
        Ffmpeg.quiet();
    }

    private final Path file;
    private final FFmpegFrameGrabber grabber;
    private final VideoInfo info;

    private VideoReader(Path file, FFmpegFrameGrabber grabber, VideoInfo info) {
        this.file = file;
        this.grabber = grabber;
        this.info = info;
    }

    public static VideoReader open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VideoException(file, "no such file", null);
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            throw new VideoException(file, "not a video FFmpeg can read (" + e.getMessage() + ")", e);
        }
        if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw new VideoException(file, "has no video stream", null);
        }
        VideoInfo info = new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(), grabber.getFrameRate(),
                Math.max(0, grabber.getLengthInTime() / 1000),
                Math.max(0, grabber.getFormatContext().streams(grabber.getVideoStream()).nb_frames()),
                grabber.getVideoCodecName(), grabber.getFormat());
        return new VideoReader(file, grabber, info);
    }

    /**
     * A copy of a frame handed to a {@link FrameSink} that outlives the sink call: detached from the decoder's
     * per-frame scope (detaching drops the scope's reference, so one is taken first). The caller closes it.
     */
    public static Mat keep(Mat frame) {
        Mat copy = frame.clone();
        PointerScope scope = PointerScope.getInnerScope();
        if (scope != null) {
            copy.retainReference();
            scope.detach(copy);
        }
        return copy;
    }

    public Path file() {
        return file;
    }

    public VideoInfo info() {
        return info;
    }

    /**
     * Decodes the whole stream, sampling at {@code min(native fps, maxFps)}.
     *
     * @throws VideoException when FFmpeg fails mid-stream or the stream ends well before its stated duration
     */
    public DecodeStats decode(double maxFps, FrameSink sink) {
        double fps = info.fps() > 0 ? Math.min(info.fps(), maxFps) : maxFps;
        FrameSampler sampler = new FrameSampler(fps, info.fps());
        int read = 0;
        int sampled = 0;
        long last = -1;
        try (OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            while (true) {
                try (PointerScope scope = new PointerScope()) {
                    Frame frame = grabber.grabImage();
                    if (frame == null) {
                        break;
                    }
                    // The grabber's clock is the frame's presentation time (pts x time base, start offset removed).
                    long ts = Math.max(0, grabber.getTimestamp() / 1000);
                    if (ts <= last && read > 0) {
                        // Frames flushed from the decoder at end of stream report 0: place them one frame on.
                        ts = last + Math.round(1000 / (info.fps() > 0 ? info.fps() : maxFps));
                    }
                    int index = read++;
                    last = ts;
                    if (!sampler.keep(ts)) {
                        continue;
                    }
                    Mat bgr = converter.convert(frame);
                    sink.frame(index, ts, bgr);
                    sampled++;
                } catch (FrameGrabber.Exception e) {
                    throw new VideoException(file, "decoding failed after frame " + read + " (at " + last + " ms): "
                            + e.getMessage(), e);
                }
            }
        }
        if (read == 0) {
            throw new VideoException(file, "contains no decodable frame", null);
        }
        // A stream that stops far short of its stated length is truncated or corrupt: say so instead of
        // publishing half a video as if it were complete.
        boolean shortOfDuration = info.durationMs() > 2000 && last < 0.9 * info.durationMs() - 1000;
        boolean shortOfFrames = info.headerFrames() > 10 && read < 0.9 * info.headerFrames() - 2;
        if (shortOfDuration || shortOfFrames) {
            throw new VideoException(file, String.format("decoding stopped at %.1f s, frame %d, of %.1f s, %d frames "
                    + "(truncated or corrupt file; re-encode it, e.g. ffmpeg -i in -c:v libx264 out.mp4)",
                    last / 1000.0, read, info.durationMs() / 1000.0, info.headerFrames()), null);
        }
        return new DecodeStats(read, sampled, last);
    }

    @Override
    public void close() {
        closeQuietly(grabber);
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // closing a grabber that failed to start can throw; nothing to release then
        }
    }
}
