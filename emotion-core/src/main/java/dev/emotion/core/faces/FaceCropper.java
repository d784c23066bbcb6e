package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cuts a square around a face, enlarged so that forehead, chin and cheeks are in (expressions live there), resizes
 * it and encodes it as JPEG. Where the square leaves the frame, edge pixels are repeated rather than the face
 * shifted, so the face stays centred.
 */
public final class FaceCropper {

    private final int size;
    private final double enlarge;
    private final int[] jpegParams;

    /**
     * @param size    output side in pixels (224 by default: every model resizes from there)
     * @param enlarge square side / longer box side (1.4 by default)
     * @param quality JPEG quality 1..100
     */
    public FaceCropper(int size, double enlarge, int quality) {
        if (size < 8 || enlarge < 1 || quality < 1 || quality > 100) {
            throw new IllegalArgumentException("crop size " + size + " (>= 8), enlarge " + enlarge
                    + " (>= 1), quality " + quality + " (1..100)");
        }
        this.size = size;
        this.enlarge = enlarge;
        this.jpegParams = new int[] {IMWRITE_JPEG_QUALITY, quality};
    }

    public int size() {
        return size;
    }

    /** The square crop, {@code size x size} BGR; the caller closes it. */
    public Mat cropMat(Mat frame, Detection d) {
        int side = (int) Math.max(2, Math.round(Math.max(d.width(), d.height()) * enlarge));
        int cx = Math.round(d.x() + d.width() / 2);
        int cy = Math.round(d.y() + d.height() / 2);
        int x0 = cx - side / 2;
        int y0 = cy - side / 2;
        int ix0 = Math.max(0, x0);
        int iy0 = Math.max(0, y0);
        int ix1 = Math.min(frame.cols(), x0 + side);
        int iy1 = Math.min(frame.rows(), y0 + side);
        Mat out = new Mat();
        if (ix1 <= ix0 || iy1 <= iy0) {
            throw new IllegalArgumentException("face box " + d + " lies outside the " + frame.cols() + "x"
                    + frame.rows() + " frame");
        }
        try (Mat roi = new Mat(frame, new Rect(ix0, iy0, ix1 - ix0, iy1 - iy0)); Mat square = new Mat()) {
            copyMakeBorder(roi, square, iy0 - y0, y0 + side - iy1, ix0 - x0, x0 + side - ix1, BORDER_REPLICATE);
            resize(square, out, new Size(size, size), 0, 0, side > size ? INTER_AREA : INTER_LINEAR);
        }
        return out;
    }

    public byte[] cropJpeg(Mat frame, Detection d) {
        try (Mat crop = cropMat(frame, d)) {
            return jpeg(crop);
        }
    }

    public byte[] jpeg(Mat image) {
        try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(jpegParams)) {
            if (!imencode(".jpg", image, buf, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }
}
