package dev.emotion.core.inference;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-frame predictions of a video as CSV: one row per sampled frame per face, and one row with empty scores for a
 * sampled frame without a face (so the time axis has no holes, as in an AFFDEX export). The same writer serves
 * {@code ./emotion predict} and {@code POST /api/v1/predict/video} with {@code Accept: text/csv}.
 *
 * <p>{@link Layout#IMOTIONS}: the column names of an iMotions AFFDEX export where one exists ({@code Timestamp} in
 * ms, {@code Anger ... Surprise} on 0..100), so the file loads next to AFFDEX data and back into this project's own
 * label reader; then AFFDEX's facial expressions ({@code Brow Furrow ... Upper Lip Raise}, 0..100), {@code Valence}
 * (-100..100), {@code Engagement} and {@code Attention} (0..100), empty when the model does not predict them (only an
 * {@code affect} model predicts them all). {@link Layout#OPENFACE}: OpenFace 2's leading columns ({@code frame} from
 * 1, {@code face_id}, {@code timestamp} in s, {@code confidence}, {@code success}), lower-case probabilities on 0..1,
 * the expressions in snake case ({@code brow_furrow}, 0..1), {@code valence} (-1..1), {@code engagement} and
 * {@code attention} (0..1). Every file has every column, whichever model wrote it.
 */
public final class PredictionCsv {

    public enum Layout {
        IMOTIONS, OPENFACE;

        public static Layout parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "imotions" -> IMOTIONS;
                case "openface" -> OPENFACE;
                default -> throw new IllegalArgumentException("format '" + s + "' is not imotions or openface");
            };
        }
    }

    /** The emotion columns in AFFDEX's export order (alphabetical), then neutral. */
    static final List<String> EMOTIONS = List.of(Emotion.ANGER.label(), Emotion.CONTEMPT.label(),
            Emotion.DISGUST.label(), Emotion.FEAR.label(), Emotion.JOY.label(), Emotion.SADNESS.label(),
            Emotion.SURPRISE.label(), Emotion.NEUTRAL);

    /**
     * Starts the last line of a CSV whose video failed mid-stream (an HTTP answer cannot change its status once
     * rows are sent): a reader that finds it must treat the file as incomplete.
     */
    public static final String ERROR_PREFIX = "#error:";

    private final Writer out;
    private final Layout layout;
    private final int columns;

    public PredictionCsv(Writer out, Layout layout) {
        this.out = out;
        this.layout = layout;
        this.columns = header().size();
    }

    public List<String> header() {
        List<String> h = new ArrayList<>();
        if (layout == Layout.IMOTIONS) {
            h.addAll(List.of("Timestamp", "FrameNo", "FaceId", "FaceRect X", "FaceRect Y", "FaceRect Width",
                    "FaceRect Height", "Detection Score"));
            EMOTIONS.forEach(e -> h.add(Character.toUpperCase(e.charAt(0)) + e.substring(1)));
            h.addAll(EmotionLabels.AFFDEX_EXPRESSIONS);
            h.addAll(List.of("Valence", "Engagement", "Attention", "Dominant Emotion", "Baseline Warm", "Model"));
        } else {
            h.addAll(List.of("frame", "face_id", "timestamp", "confidence", "success", "face_x", "face_y",
                    "face_width", "face_height"));
            h.addAll(EMOTIONS);
            EmotionLabels.AFFDEX_EXPRESSIONS.forEach(x -> h.add(x.toLowerCase(Locale.ROOT).replace(' ', '_')));
            h.addAll(List.of("valence", "engagement", "attention", "dominant", "baseline_warm", "model"));
        }
        return h;
    }

    public void writeHeader() {
        line(header());
    }

    /** The rows of one sampled frame; {@code faces} empty writes one row saying no face was found. */
    public void frame(long frameIndex, long timestampMs, String modelId, List<FacePrediction> faces) {
        if (faces.isEmpty()) {
            List<String> row = new ArrayList<>(lead(frameIndex, timestampMs, null));
            while (row.size() < columns - 1) {
                row.add("");
            }
            row.add(modelId == null ? "" : modelId);
            line(row);
            return;
        }
        for (FacePrediction f : faces) {
            List<String> row = new ArrayList<>(lead(frameIndex, timestampMs, f));
            for (String e : EMOTIONS) {
                row.add(score(f.probabilities().get(e)));
            }
            for (String x : EmotionLabels.AFFDEX_EXPRESSIONS) {
                row.add(score(f.expressions() == null ? null : f.expressions().get(x)));
            }
            row.add(score(f.valence()));
            row.add(score(f.engagement()));
            row.add(score(f.attention()));
            row.add(f.dominant() == null ? "" : f.dominant());
            row.add(f.baseline() == null ? "" : layout == Layout.IMOTIONS ? String.valueOf(f.baseline().warm())
                    : f.baseline().warm() ? "1" : "0");
            row.add(modelId == null ? "" : modelId);
            line(row);
        }
    }

    /** A 0..1 (valence -1..1) output on the layout's scale; empty when the model has none. */
    private String score(Double v) {
        return v == null ? "" : layout == Layout.IMOTIONS ? fixed(v * 100, 3) : fixed(v, 5);
    }

    private List<String> lead(long frameIndex, long timestampMs, FacePrediction f) {
        List<String> r = new ArrayList<>();
        String score = f == null || f.detectionScore() == null ? "" : fixed(f.detectionScore(), 4);
        if (layout == Layout.IMOTIONS) {
            r.add(Long.toString(timestampMs));
            r.add(Long.toString(frameIndex));
            r.add(f == null ? "" : Integer.toString(f.faceId()));
            r.add(f == null ? "" : Integer.toString(f.box().x()));
            r.add(f == null ? "" : Integer.toString(f.box().y()));
            r.add(f == null ? "" : Integer.toString(f.box().width()));
            r.add(f == null ? "" : Integer.toString(f.box().height()));
            r.add(score);
        } else {
            r.add(Long.toString(frameIndex + 1));
            r.add(f == null ? "" : Integer.toString(f.faceId()));
            r.add(fixed(timestampMs / 1000.0, 3));
            r.add(f == null ? "0" : score);
            r.add(f == null ? "0" : "1");
            r.add(f == null ? "" : Integer.toString(f.box().x()));
            r.add(f == null ? "" : Integer.toString(f.box().y()));
            r.add(f == null ? "" : Integer.toString(f.box().width()));
            r.add(f == null ? "" : Integer.toString(f.box().height()));
        }
        return r;
    }

    /** The line that ends a CSV whose video failed mid-stream. */
    public void error(String message) {
        try {
            out.write(ERROR_PREFIX + " " + (message == null ? "scoring failed" : message.replace('\n', ' ')) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private void line(List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(quote(cells.get(i)));
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 quoting, only where a cell needs it (a model id or file name with a comma or quote). */
    static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
