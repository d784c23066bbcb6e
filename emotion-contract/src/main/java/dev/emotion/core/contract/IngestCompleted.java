package dev.emotion.core.contract;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest of a finished ingest job on {@link Topic#INGEST_COMPLETED}: what was published, per participant,
 * split and label, and how (label source, face detector, sampling rate). {@code excluded} counts the labelled faces
 * that got no dominant label, by reason (e.g. an ambiguous top score); absent in manifests written before it
 * existed. {@code noFace}: in a study of stills and clips, the files in which no face was found (also counted in
 * {@code excluded}); absent for videos. {@code grouping}: for stills, how participants were formed ({@code subject},
 * or {@code random groups} when the labels name no person: folds then do not group by person).
 */
public record IngestCompleted(Integer version, String studyId, String jobId, List<ParticipantCounts> participants,
                              Map<String, Long> labelCounts, String labelSource, Detector detector, Double fps,
                              Instant completedAt, Map<String, Long> excluded, List<String> noFace,
                              String grouping) implements Contract {

    /** A video study's manifest. */
    public IngestCompleted(Integer version, String studyId, String jobId, List<ParticipantCounts> participants,
                           Map<String, Long> labelCounts, String labelSource, Detector detector, Double fps,
                           Instant completedAt, Map<String, Long> excluded) {
        this(version, studyId, jobId, participants, labelCounts, labelSource, detector, fps, completedAt, excluded,
                null, null);
    }

    /** The label source of a study of labelled stills and clips. */
    public static final String STILLS = "stills";

    public boolean stills() {
        return STILLS.equals(labelSource);
    }

    /** Which face detector ran; {@code fallback} is true when the preferred model was unavailable. */
    public record Detector(String name, Boolean fallback, String note) {
    }

    /**
     * @param labelFile what the participant's label file held (absent without labels, and in manifests written
     *                  before it existed)
     */
    public record ParticipantCounts(String participantId, String videoId, Split split, Long frames, Long faces,
                                    Long labelled, Long batches, LabelFile labelFile) {

        public ParticipantCounts(String participantId, String videoId, Split split, Long frames, Long faces,
                                 Long labelled, Long batches) {
            this(participantId, videoId, split, frames, faces, labelled, batches, null);
        }
    }

    /**
     * How a participant's iMotions/Affdex file was read.
     *
     * @param format     {@code imotions} or {@code affdex-sdk}
     * @param scale      the scores' scale found in the file: {@code 0-100} (AFFDEX) or {@code 0-1}
     * @param rows       annotation rows kept (one per timestamp)
     * @param noFaceRows rows saying no face was found at that time
     * @param badRows    rows with unusable values (skipped; the file is refused above 10 %)
     */
    public record LabelFile(String format, String scale, Long rows, Long noFaceRows, Long badRows) {
    }

    public Map<Split, Long> facesPerSplit() {
        Map<Split, Long> m = new EnumMap<>(Split.class);
        participants.forEach(p -> m.merge(p.split(), p.faces(), Long::sum));
        return m;
    }

    @Override
    public void validate(Violations v) {
        Contract.checkVersion(v, version);
        v.notBlank("studyId", studyId);
        v.notBlank("jobId", jobId);
        if (v.notEmpty("participants", participants)) {
            for (int i = 0; i < participants.size(); i++) {
                Violations p = v.at("participants[" + i + "]");
                ParticipantCounts c = participants.get(i);
                if (!p.required("", c)) {
                    continue;
                }
                p.notBlank("participantId", c.participantId());
                p.notBlank("videoId", c.videoId());
                p.required("split", c.split());
                p.nonNegative("frames", c.frames());
                p.nonNegative("faces", c.faces());
                p.nonNegative("labelled", c.labelled());
                p.nonNegative("batches", c.batches());
                if (c.labelFile() != null) {
                    p.notBlank("labelFile.format", c.labelFile().format());
                    p.notBlank("labelFile.scale", c.labelFile().scale());
                    p.nonNegative("labelFile.rows", c.labelFile().rows());
                    p.nonNegative("labelFile.noFaceRows", c.labelFile().noFaceRows());
                    p.nonNegative("labelFile.badRows", c.labelFile().badRows());
                }
                if (c.labelled() != null && c.faces() != null && c.labelled() > c.faces()) {
                    p.add("labelled", c.labelled() + " is more than faces (" + c.faces() + ")");
                }
            }
        }
        if (v.required("labelCounts", labelCounts)) {
            labelCounts.forEach((label, count) -> {
                if (!Emotion.DOMINANT_LABELS.contains(label)) {
                    v.add("labelCounts." + label, "is not one of " + Emotion.DOMINANT_LABELS);
                }
                v.nonNegative("labelCounts." + label, count);
            });
        }
        if (excluded != null) {
            excluded.forEach((reason, count) -> v.nonNegative("excluded." + reason, count));
        }
        v.notBlank("labelSource", labelSource);
        if (v.required("detector", detector)) {
            v.notBlank("detector.name", detector.name());
            v.required("detector.fallback", detector.fallback());
        }
        v.range("fps", fps, 0.001, 1000);
        v.required("completedAt", completedAt);
    }
}
