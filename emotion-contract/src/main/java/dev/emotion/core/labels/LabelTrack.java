package dev.emotion.core.labels;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The annotation time series of one recording, in time order, with what the reader had to tolerate.
 *
 * @param format   {@code imotions} (Timestamp in ms, capitalised columns) or {@code affdex-sdk} (TimeStamp in s)
 * @param metadata the leading {@code #key,value} rows of an iMotions export (respondent, study, sensor...)
 * @param warnings counted problems that did not reject the file (e.g. "row 812 column 'Joy': 'abc' is not a number")
 * @param scale    the scores' scale in the file, one per file: {@link #SCALE_PERCENT} (AFFDEX's 0..100, valence
 *                 -100..100) or {@link #SCALE_UNIT} (0..1); samples are normalised to 0..1 either way
 * @param noFaceRows rows that say "no face at this time" (NaN/empty scores, the Affdex SDK's {@code 12.0nan,...})
 * @param badRows  rows with unusable values, skipped (the first of them are in {@code warnings})
 */
public record LabelTrack(Path file, String format, Map<String, String> metadata, List<LabelSample> samples,
                         List<String> warnings, String scale, long noFaceRows, long badRows) {

    public static final String SCALE_PERCENT = "0-100";
    public static final String SCALE_UNIT = "0-1";

    /** A track whose scores were 0..100 in the file, with every gap counted as a no-face row. */
    public LabelTrack(Path file, String format, Map<String, String> metadata, List<LabelSample> samples,
                      List<String> warnings) {
        this(file, format, metadata, samples, warnings, SCALE_PERCENT,
                samples.stream().filter(LabelSample::isGap).count(), 0);
    }

    public long firstMs() {
        return samples.get(0).timestampMs();
    }

    public long lastMs() {
        return samples.get(samples.size() - 1).timestampMs();
    }

    public long validSamples() {
        return samples.stream().filter(s -> !s.isGap()).count();
    }
}
