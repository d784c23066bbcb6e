package dev.emotion.ingest.labels;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelFileException;
import dev.emotion.core.labels.LabelSample;
import dev.emotion.core.labels.LabelTrack;
import dev.emotion.kit.ApiErrors;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * An iMotions/AFFDEX labels file read by the same reader ingest uses, answered as per-emotion traces over time
 * (scores 0..1, null where the file has no face), so a page can draw a participant's AFFDEX trace beside a model's.
 * Stateless: nothing is stored or published. A file the reader refuses is a 400 naming its row and column.
 */
@Path("/api/v1/labels/trace")
public class LabelTraceResource {

    /** The traces of one file: timestamps and, per emotion, one value (or null) per timestamp. */
    public record Trace(String file, String format, String scale, int samples, long gaps, List<Long> timestampsMs,
                        Map<String, List<Double>> emotions, List<String> warnings) {
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Read an uploaded iMotions/AFFDEX labels file (multipart field 'labels') into per-emotion "
            + "traces over time; nothing is stored")
    public Trace trace(@RestForm("labels") FileUpload labels) {
        if (labels == null) {
            throw new ApiErrors.Invalid("invalid labels file", "multipart field 'labels' (the CSV/TXT export) is "
                    + "required");
        }
        LabelTrack track;
        try {
            track = new AffdexCsvReader().read(labels.uploadedFile());
        } catch (LabelFileException e) {
            throw new ApiErrors.Invalid("invalid labels file", e.getMessage().replace(
                    labels.uploadedFile().toString(), labels.fileName()));
        }
        List<Long> times = new ArrayList<>();
        Map<String, List<Double>> traces = new LinkedHashMap<>();
        for (Emotion e : Emotion.values()) {
            traces.put(e.label(), new ArrayList<>());
        }
        for (LabelSample s : track.samples()) {
            times.add(s.timestampMs());
            Map<Emotion, Double> scores = s.isGap() ? Map.of() : s.labels().emotions();
            for (Emotion e : Emotion.values()) {
                traces.get(e.label()).add(scores.get(e));
            }
        }
        return new Trace(labels.fileName(), track.format(), track.scale(), track.samples().size(),
                track.samples().stream().filter(LabelSample::isGap).count(), times, traces, track.warnings());
    }
}
