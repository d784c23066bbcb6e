package dev.emotion.core.faces;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_dnn;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.StringVector;
import org.bytedeco.opencv.opencv_dnn.Net;

/**
 * MediaPipe's full-range (BlazeFace, back-camera) face detector, {@code face_detection_full_range.tflite}, run by
 * OpenCV DNN.
 *
 * <p>Input: 192x192 RGB scaled to [-1, 1]; the frame is letterboxed (scaled to fit, padded right/bottom with black)
 * so faces keep their shape. Outputs: 2304 scores (logits) and 2304 x 16 regressors. Anchors, as MediaPipe's
 * SsdAnchorsCalculator makes them for this model (one layer, stride 4, one anchor per cell, fixed size): a 48x48 grid
 * with centres ((col + 0.5) / 48, (row + 0.5) / 48) and width = height = 1. Decoding, as its
 * TensorsToDetectionsCalculator does with reverse_output_order and scales 192: centre = anchor + raw[0..1] / 192,
 * size = raw[2..3] / 192, keypoint k = anchor + raw[4 + 2k .. 5 + 2k] / 192, all in the 192 input's unit square;
 * score = sigmoid(clamp(logit, -100, 100)). Then weighted NMS at IoU 0.3 and mapping back through the letterbox.
 */
public final class MediaPipeFaceDetector implements FaceDetector {

    public static final String NAME = "mediapipe-full-range";
    static final int INPUT = 192;
    static final int GRID = 48;
    static final int ANCHORS = GRID * GRID;

    private final Net net;
    private final StringVector outputNames;
    private final float scoreThreshold;
    private final float minFaceSize;

    /**
     * @param scoreThreshold minimum confidence (0.5 finds every face on real photos; MediaPipe's default is 0.6)
     * @param minFaceSize    faces smaller than this many frame pixels (box width) are dropped
     */
    public MediaPipeFaceDetector(Path model, float scoreThreshold, float minFaceSize) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("face model " + model + " does not exist (fetch it with "
                    + "deploy/models/fetch-models.sh or set EMOTION_FACE_MODEL)");
        }
        this.net = opencv_dnn.readNetFromTFLite(model.toString());
        if (net.empty()) {
            throw new IllegalArgumentException("OpenCV could not load face model " + model);
        }
        this.outputNames = net.getUnconnectedOutLayersNames();
        this.scoreThreshold = scoreThreshold;
        this.minFaceSize = minFaceSize;
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        float scale = (float) INPUT / Math.max(w, h);
        int sw = Math.max(1, Math.round(w * scale));
        int sh = Math.max(1, Math.round(h * scale));
        List<Detection> raw = new ArrayList<>();
        try (Mat small = new Mat(); Mat square = new Mat(); MatVector outs = new MatVector()) {
            resize(bgr, small, new Size(sw, sh), 0, 0, INTER_LINEAR);
            copyMakeBorder(small, square, 0, INPUT - sh, 0, INPUT - sw, BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
            try (Mat blob = opencv_dnn.blobFromImage(square, 1 / 127.5, new Size(INPUT, INPUT),
                    new Scalar(127.5, 127.5, 127.5, 0), true, false, org.bytedeco.opencv.global.opencv_core.CV_32F)) {
                net.setInput(blob);
                net.forward(outs, outputNames);
            }
            Mat scores = null;
            Mat boxes = null;
            for (long i = 0; i < outs.size(); i++) {
                Mat m = outs.get(i);
                if (m.total() == ANCHORS) {
                    scores = m;
                } else if (m.total() == ANCHORS * 16L) {
                    boxes = m;
                }
            }
            if (scores == null || boxes == null) {
                throw new IllegalStateException("face model gave unexpected outputs (expected 2304 scores and "
                        + "2304x16 boxes)");
            }
            float[] s = floats(scores, ANCHORS);
            float[] b = floats(boxes, ANCHORS * 16);
            {
                float[] r = new float[16];
                float inv = 1f / INPUT;
                float back = 1f / scale;
                for (int a = 0; a < ANCHORS; a++) {
                    float logit = Math.max(-100f, Math.min(100f, s[a]));
                    float score = (float) (1 / (1 + Math.exp(-logit)));
                    if (score < scoreThreshold) {
                        continue;
                    }
                    for (int k = 0; k < 16; k++) {
                        r[k] = b[a * 16 + k];
                    }
                    float ax = ((a % GRID) + 0.5f) / GRID;
                    float ay = ((a / GRID) + 0.5f) / GRID;
                    float cx = ax + r[0] * inv;
                    float cy = ay + r[1] * inv;
                    float bw = r[2] * inv;
                    float bh = r[3] * inv;
                    float[] kp = new float[12];
                    for (int k = 0; k < 6; k++) {
                        kp[2 * k] = (ax + r[4 + 2 * k] * inv) * INPUT * back;
                        kp[2 * k + 1] = (ay + r[5 + 2 * k] * inv) * INPUT * back;
                    }
                    raw.add(new Detection((cx - bw / 2) * INPUT * back, (cy - bh / 2) * INPUT * back,
                            bw * INPUT * back, bh * INPUT * back, score, kp));
                }
            }
        }
        List<Detection> faces = new ArrayList<>();
        for (Detection d : NonMaxSuppression.weighted(raw, 0.3f)) {
            Detection c = clip(d, w, h);
            if (c.width() >= minFaceSize && c.height() > 0) {
                faces.add(c);
            }
        }
        return faces;
    }

    /** A continuous float tensor's values (indexers assume two dimensions; the outputs have three). */
    private static float[] floats(Mat m, int n) {
        float[] out = new float[n];
        new FloatPointer(m.data()).capacity(n).get(out);
        return out;
    }

    private static Detection clip(Detection d, int w, int h) {
        float x1 = Math.max(0, d.x());
        float y1 = Math.max(0, d.y());
        float x2 = Math.min(w, d.x() + d.width());
        float y2 = Math.min(h, d.y() + d.height());
        return new Detection(x1, y1, x2 - x1, y2 - y1, d.score(), d.keypoints());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean fallback() {
        return false;
    }

    @Override
    public void close() {
        net.close();
        outputNames.close();
    }
}
