package dev.emotion.core.ingest;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import dev.emotion.core.contract.Box;
import dev.emotion.core.contract.Contract;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.FaceFrame;
import dev.emotion.core.contract.IngestCompleted.ParticipantCounts;
import dev.emotion.core.contract.Split;
import dev.emotion.core.faces.Detection;
import dev.emotion.core.faces.FaceCrop;
import dev.emotion.core.faces.FaceCropper;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.faces.StillFaces;
import dev.emotion.core.labels.StillsIndex;
import dev.emotion.core.video.VideoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A study of labelled stills and clips ({@link StillsIndex}) in, {@link FaceBatch}es out, through the same face
 * detection and crops as video frames. Each participant's stills are one pseudo-video ({@value #STILLS_VIDEO}) whose
 * frames are the stills in file order, one second apart; each clip is a video of its own, every sampled frame labelled
 * with the clip's class. A still that is already a tight face crop (small, grey, cut at the chin) is often missed by a
 * detector made for scenes, so when nothing is found the still is tried again on a padded, upscaled copy; with
 * {@code aligned} every still is taken as the face itself. A still with no face is counted and named, never silently
 * dropped, and an unreadable image fails the job naming the file and row.
 */
public final class StillsIngest {

    /** The video id of a participant's stills. */
    public static final String STILLS_VIDEO = "stills";
    /** Files above this size are refused before reading (a still is rarely over a few MB). */
    static final long MAX_FILE_BYTES = 50L << 20;
    /** Pixels above this are refused from the header, before decoding (an image bomb declares billions). */
    static final long MAX_PIXELS = 40_000_000L;

    /** Where the work stands, for progress events. */
    public record Progress(long files, long faces, long batches) {
    }

    /**
     * What the study produced: per participant counts, the classes' frame counts, and the files in which no face was
     * found (relative names; also counted in {@code excluded}).
     */
    public record Outcome(List<ParticipantCounts> counts, Map<String, Long> labelCounts, Map<String, Long> excluded,
                          List<String> noFace, long found, long retried) {
    }

    private final FaceDetector detector;
    private final IngestOptions options;
    private final boolean aligned;
    private final FaceCropper cropper;
    private FaceDetector haar; // open during a run that detects (outside any per-still native scope)

    public StillsIngest(FaceDetector detector, IngestOptions options, boolean aligned) {
        this.detector = detector;
        this.options = options;
        this.aligned = aligned;
        FacePipeline.Options f = options.faces();
        this.cropper = new FaceCropper(f.cropSize(), f.enlarge(), f.jpegQuality(), f.alignEyes());
    }

    public Outcome run(String studyId, String jobId, Path dir, StillsIndex index, Consumer<FaceBatch> batches,
                       Consumer<Progress> progress) {
        if (!aligned) {
            haar = new dev.emotion.core.faces.HaarFaceDetector(16);
        }
        try {
            return runAll(studyId, jobId, dir, index, batches, progress);
        } finally {
            if (haar != null) {
                haar.close();
                haar = null;
            }
        }
    }

    private Outcome runAll(String studyId, String jobId, Path dir, StillsIndex index, Consumer<FaceBatch> batches,
                           Consumer<Progress> progress) {
        Map<String, List<StillsIndex.Entry>> byParticipant = new LinkedHashMap<>();
        index.entries().forEach(e -> byParticipant.computeIfAbsent(e.participant(), k -> new ArrayList<>()).add(e));
        List<ParticipantCounts> counts = new ArrayList<>();
        Map<String, Long> labels = new TreeMap<>();
        List<String> noFace = new ArrayList<>();
        long[] totals = new long[3]; // files, faces, batches
        long retried = 0;
        for (Map.Entry<String, List<StillsIndex.Entry>> p : byParticipant.entrySet()) {
            String participant = p.getKey();
            Split split = p.getValue().get(0).split();
            Publisher out = new Publisher(studyId, participant, jobId, split, batches, () -> progress.accept(
                    new Progress(totals[0], totals[1], totals[2])));
            int stillIndex = 0;
            long participantFaces = 0;
            long frames = 0;
            for (StillsIndex.Entry e : p.getValue()) {
                totals[0]++;
                if (e.clip()) {
                    long[] clip = clip(dir, e, out);
                    frames += clip[0];
                    participantFaces += clip[1];
                    labels.merge(e.label(), clip[1], Long::sum);
                    if (clip[1] == 0) {
                        noFace.add(e.file());
                    }
                } else {
                    Found f = still(dir, e);
                    frames++;
                    retried += f.retried() ? 1 : 0;
                    if (f.crop() == null) {
                        noFace.add(e.file());
                    } else {
                        out.add(STILLS_VIDEO, new FaceFrame(stillIndex, stillIndex * 1000L, 0, box(f.box()),
                                (double) Math.min(1f, Math.max(0f, f.box().score())), f.crop(), e.labels(),
                                e.label()));
                        participantFaces++;
                        labels.merge(e.label(), 1L, Long::sum);
                    }
                    stillIndex++;
                }
            }
            out.flush();
            totals[1] += participantFaces;
            totals[2] += out.batchCount();
            counts.add(new ParticipantCounts(participant, STILLS_VIDEO, split, frames, participantFaces,
                    participantFaces, (long) out.batchCount()));
            progress.accept(new Progress(totals[0], totals[1], totals[2]));
        }
        Map<String, Long> excluded = new TreeMap<>();
        if (!noFace.isEmpty()) {
            excluded.put("no face found", (long) noFace.size());
        }
        return new Outcome(counts, labels, excluded, List.copyOf(noFace), totals[1], retried);
    }

    /** A still's face: its crop and box in the still's pixels, or no crop when none was found. */
    record Found(byte[] crop, Detection box, boolean retried) {
    }

    Found still(Path dir, StillsIndex.Entry e) {
        byte[] bytes = read(dir, e);
        try (PointerScope scope = new PointerScope()) {
            Mat img = imdecode(new Mat(new BytePointer(bytes)), IMREAD_COLOR);
            if (img == null || img.empty()) {
                throw new IllegalArgumentException(e.file() + " (row " + e.row() + ") is not an image OpenCV can"
                        + " decode (JPEG, PNG, BMP, WebP, TIFF); convert it or remove the row");
            }
            if (aligned) {
                // The whole still is the face: a box that the cropper's enlargement turns into the image itself.
                double side = Math.max(img.cols(), img.rows()) / options.faces().enlarge();
                Detection d = new Detection((float) ((img.cols() - side) / 2), (float) ((img.rows() - side) / 2),
                        (float) side, (float) side, 1f, new float[0]);
                return new Found(cropper.cropJpeg(img, d), d, false);
            }
            Detection d = StillFaces.best(detector.detect(img));
            if (d != null) {
                return new Found(cropper.cropJpeg(img, d), d, false);
            }
            d = StillFaces.retry(detector::detect, img);
            if (d != null) {
                return new Found(cropper.cropJpeg(img, d), d, true);
            }
            // Last resort: OpenCV's frontal-face cascade, which knows tight, frontal crops (a fallback only: in
            // scenes it finds faces that are not there, but here the still is known to show one face).
            d = StillFaces.best(haar.detect(img));
            if (d == null) {
                d = StillFaces.padded(haar::detect, img, StillFaces.PADDINGS[0]);
            }
            return d == null ? new Found(null, null, true) : new Found(cropper.cropJpeg(img, d), d, true);
        }
    }

    /** A clip: every sampled frame's most confident face, labelled with the clip's class. {frames, faces}. */
    private long[] clip(Path dir, StillsIndex.Entry e, Publisher out) {
        Path file = dir.resolve(e.file());
        String videoId = dev.emotion.core.FileNames.safe(e.file());
        long[] faces = {0};
        FacePipeline.Result r;
        try {
            r = new FacePipeline(detector, options.faces()).run(file, frame -> {
                Detection top = StillFaces.best(frame.faces().stream().map(FaceCrop::box).toList());
                FaceCrop best = frame.faces().stream().filter(c -> c.box() == top).findFirst().orElse(null);
                if (best != null) {
                    out.add(videoId, new FaceFrame(frame.index(), frame.timestampMs(), 0, box(best.box()),
                            (double) Math.min(1f, best.box().score()), best.jpeg(), e.labels(), e.label()));
                    faces[0]++;
                }
            });
        } catch (VideoException ex) {
            throw new IllegalArgumentException(e.file() + " (row " + e.row() + "): " + ex.getMessage(), ex);
        }
        out.flush(); // the clip's last batch out before the next file
        return new long[] {r.framesSampled(), faces[0]};
    }

    private static byte[] read(Path dir, StillsIndex.Entry e) {
        Path file = dir.resolve(e.file());
        try {
            long size = Files.size(file);
            if (size == 0 || size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(e.file() + " (row " + e.row() + ") has " + size + " bytes; a still"
                        + " must have 1 byte to " + (MAX_FILE_BYTES >> 20) + " MB");
            }
            checkPixels(file, e);
            return Files.readAllBytes(file);
        } catch (IOException ex) {
            throw new IllegalArgumentException(e.file() + " (row " + e.row() + ") cannot be read: " + ex, ex);
        }
    }

    /** The header's size where Java can read it (JPEG, PNG, BMP, GIF), before OpenCV allocates anything. */
    private static void checkPixels(Path file, StillsIndex.Entry e) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return; // a format only OpenCV reads (WebP, TIFF): its own limit applies
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                long pixels = (long) r.getWidth(0) * r.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IllegalArgumentException(e.file() + " (row " + e.row() + ") is " + r.getWidth(0) + "x"
                            + r.getHeight(0) + " pixels, over the limit of " + MAX_PIXELS + "; downscale it");
                }
            } catch (IOException ex) {
                throw new IllegalArgumentException(e.file() + " (row " + e.row() + ") has a damaged image header: "
                        + ex.getMessage(), ex);
            } finally {
                r.dispose();
            }
        }
    }

    private static Box box(Detection d) {
        return new Box(Math.max(0, Math.round(d.x())), Math.max(0, Math.round(d.y())),
                Math.max(1, Math.round(d.width())), Math.max(1, Math.round(d.height())));
    }

    /** Batches of one participant, one video at a time, bounded in frames and bytes like a video's. */
    private final class Publisher {
        private final String studyId;
        private final String participant;
        private final String jobId;
        private final Split split;
        private final Consumer<FaceBatch> sink;
        private final Runnable onBatch;
        private final List<FaceFrame> pending = new ArrayList<>();
        private String video;
        private int bytes;
        private int batchIndex;

        Publisher(String studyId, String participant, String jobId, Split split, Consumer<FaceBatch> sink,
                  Runnable onBatch) {
            this.studyId = studyId;
            this.participant = participant;
            this.jobId = jobId;
            this.split = split;
            this.sink = sink;
            this.onBatch = onBatch;
        }

        void add(String videoId, FaceFrame f) {
            if (video != null && !video.equals(videoId)) {
                flush();
            }
            video = videoId;
            if (pending.size() >= options.maxFramesPerBatch() || bytes + f.crop().length > options.maxBatchBytes()) {
                flush();
            }
            pending.add(f);
            bytes += f.crop().length;
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            sink.accept(new FaceBatch(Contract.CURRENT_VERSION, studyId, participant, video, jobId, batchIndex++,
                    split, List.copyOf(pending)));
            pending.clear();
            bytes = 0;
            onBatch.run();
        }

        int batchCount() {
            return batchIndex;
        }
    }
}
