package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Finding the face in a photo that a detector made for scenes misses: a face that fills the frame or a tight, small
 * crop (measured on 569 real labelled photos: MediaPipe's full-range model found 112 as they are, 457 more on a
 * padded, upscaled copy; docs/real-faces.md). The copy is padded with the photo's mean colour and upscaled until its
 * shorter side has {@value #MIN_SIDE} pixels; the box found is mapped back to the photo (it may reach past its edges:
 * the cropper repeats edge pixels). Used by the stills ingest and by scoring of a lone photo.
 */
public final class StillFaces {

    /** Padding tried around a photo where no face was found, as a fraction of its longer side on each edge. */
    public static final double[] PADDINGS = {0.25, 0.5, 1.0};
    static final int MIN_SIDE = 320;

    private StillFaces() {
    }

    /** The most confident face (a labelled still shows one person; bystanders are smaller and less sure), or null. */
    public static Detection best(List<Detection> found) {
        return found.stream().max(Comparator.comparingDouble(d -> d.score() * Math.sqrt(d.area()))).orElse(null);
    }

    /** The best face on the photo as it is, else on each padded copy in turn; null when none has one. */
    public static Detection find(Function<Mat, List<Detection>> detect, Mat img) {
        Detection d = best(detect.apply(img));
        return d != null ? d : retry(detect, img);
    }

    /** The best face on each padded copy in turn (the photo itself had none); null when none has one. */
    public static Detection retry(Function<Mat, List<Detection>> detect, Mat img) {
        Detection d = null;
        for (int i = 0; d == null && i < PADDINGS.length; i++) {
            d = padded(detect, img, PADDINGS[i]);
        }
        return d;
    }

    /** Detection on a copy padded by {@code pad} x the longer side on each edge, upscaled; mapped back. */
    public static Detection padded(Function<Mat, List<Detection>> detect, Mat img, double pad) {
        int border = (int) Math.round(Math.max(img.cols(), img.rows()) * pad);
        try (Mat big = new Mat(); Mat scaled = new Mat()) {
            Scalar fill = mean(img);
            copyMakeBorder(img, big, border, border, border, border, BORDER_CONSTANT, fill);
            double scale = Math.max(1.0, (double) MIN_SIDE / Math.min(big.cols(), big.rows()));
            Mat in = big;
            if (scale > 1.0) {
                resize(big, scaled, new Size((int) Math.round(big.cols() * scale),
                        (int) Math.round(big.rows() * scale)), 0, 0, INTER_CUBIC);
                in = scaled;
            }
            Detection d = best(detect.apply(in));
            if (d == null) {
                return null;
            }
            float[] k = d.keypoints() == null ? new float[0] : d.keypoints().clone();
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) (k[i] / scale - border);
            }
            return new Detection((float) (d.x() / scale - border), (float) (d.y() / scale - border),
                    (float) (d.width() / scale), (float) (d.height() / scale), d.score(), k);
        }
    }
}
