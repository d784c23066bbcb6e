package dev.emotion.core.contract;

import java.util.List;
import java.util.Map;

/**
 * Scores of one frame on {@link Topic#INFERENCE_PREDICTIONS}: per face, emotion probabilities, the dominant
 * label and every other output the served model has (an {@code affect} model: the AFFDEX expressions, valence,
 * engagement, attention); for a model trained on participant baselines, whether the face's own baseline was warm.
 * A frame that could not be scored carries {@code error}. Fields added later are absent from older records, which
 * still read.
 */
public record InferencePrediction(Integer version, String streamId, Long sequence, Long timestampMs, String modelId,
                                  List<FacePrediction> faces, Double latencyMs, String error) implements Contract {

    /**
     * @param detectionScore the face detector's confidence in 0..1 (absent for a client's own crop, and in records
     *                       written before it existed)
     * @param expressions    AFFDEX facial-expression intensities in 0..1 by AFFDEX name (an affect model)
     * @param valence        -1..1 (an affect model)
     * @param engagement     0..1 (an affect model)
     */
    public record FacePrediction(Integer faceId, Box box, Map<String, Double> probabilities, String dominant,
                                 Double attention, Baseline baseline, Double detectionScore,
                                 Map<String, Double> expressions, Double valence, Double engagement) {

        /** Emotions (and attention) only. */
        public FacePrediction(Integer faceId, Box box, Map<String, Double> probabilities, String dominant,
                              Double attention, Baseline baseline, Double detectionScore) {
            this(faceId, box, probabilities, dominant, attention, baseline, detectionScore, null, null, null);
        }

        /** Without baseline information (a model that does not use baselines). */
        public FacePrediction(Integer faceId, Box box, Map<String, Double> probabilities, String dominant,
                              Double attention) {
            this(faceId, box, probabilities, dominant, attention, null, null);
        }

        public FacePrediction(Integer faceId, Box box, Map<String, Double> probabilities, String dominant,
                              Double attention, Baseline baseline) {
            this(faceId, box, probabilities, dominant, attention, baseline, null);
        }

        /** The same prediction with the detector's score. */
        public FacePrediction withDetectionScore(double score) {
            return new FacePrediction(faceId, box, probabilities, dominant, attention, baseline, score, expressions,
                    valence, engagement);
        }

        /** The same prediction with the face's baseline state and the detector's score (either may be null). */
        public FacePrediction withTracking(Baseline state, Double score) {
            return new FacePrediction(faceId, box, probabilities, dominant, attention, state, score, expressions,
                    valence, engagement);
        }
    }

    /**
     * The face's baseline: {@code warm} once its own running mean (over {@code frames} crops) is used, before that
     * the model's cold-start baseline.
     */
    public record Baseline(Boolean warm, Long frames) {
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("streamId", streamId);
        v.nonNegative("sequence", sequence);
        v.nonNegative("timestampMs", timestampMs);
        v.rangeIfPresent("latencyMs", latencyMs, 0, Double.MAX_VALUE);
        if (error != null) {
            return;
        }
        v.notBlank("modelId", modelId);
        if (!v.required("faces", faces)) {
            return;
        }
        for (int i = 0; i < faces.size(); i++) {
            Violations f = v.at("faces[" + i + "]");
            FacePrediction p = faces.get(i);
            if (!f.required("", p)) {
                continue;
            }
            f.nonNegative("faceId", p.faceId());
            if (f.required("box", p.box())) {
                p.box().validate(f.at("box"));
            }
            if (f.required("probabilities", p.probabilities())) {
                p.probabilities().forEach((label, prob) -> {
                    if (!Emotion.DOMINANT_LABELS.contains(label)) {
                        f.add("probabilities." + label, "is not one of " + Emotion.DOMINANT_LABELS);
                    }
                    f.range("probabilities." + label, prob, 0, 1);
                });
            }
            if (f.notBlank("dominant", p.dominant()) && !Emotion.DOMINANT_LABELS.contains(p.dominant())) {
                f.add("dominant", "'" + p.dominant() + "' is not one of " + Emotion.DOMINANT_LABELS);
            }
            f.rangeIfPresent("attention", p.attention(), 0, 1);
            f.rangeIfPresent("valence", p.valence(), -1, 1);
            f.rangeIfPresent("engagement", p.engagement(), 0, 1);
            if (p.expressions() != null) {
                p.expressions().forEach((name, x) -> {
                    if (!EmotionLabels.AFFDEX_EXPRESSIONS.contains(name)) {
                        f.add("expressions." + name, "is not an AFFDEX expression");
                    }
                    f.range("expressions." + name, x, 0, 1);
                });
            }
            f.rangeIfPresent("detectionScore", p.detectionScore(), 0, 1);
        }
    }
}
