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
 */
public record LabelTrack(Path file, String format, Map<String, String> metadata, List<LabelSample> samples,
                         List<String> warnings) {

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
