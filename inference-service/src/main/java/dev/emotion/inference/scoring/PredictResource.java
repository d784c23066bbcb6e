package dev.emotion.inference.scoring;

import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.InferencePrediction.FacePrediction;
import dev.emotion.core.metrics.TemporalSmoothing;
import dev.emotion.core.inference.FaceTracks;
import dev.emotion.core.video.VideoReader;
import dev.emotion.kit.ApiError;
import dev.emotion.core.inference.PredictionCsv;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Scoring over HTTP: one image, or a video streamed back frame by frame as NDJSON. */
@Path("/api/v1/predict")
public class PredictResource {

    private final Scoring scoring;
    private final long maxVideoBytes;

    public PredictResource(Scoring scoring,
                           @ConfigProperty(name = "emotion.inference.max-video-bytes", defaultValue = "524288000")
                           long maxVideoBytes) {
        this.scoring = scoring;
        this.maxVideoBytes = maxVideoBytes;
    }

    @POST
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every face in a JPEG/PNG image: box, face id, 8 probabilities (7 emotions + neutral), "
            + "dominant emotion, attention (attention models), model id, latency. detect=false: the image is "
            + "already one face crop (the client ran its own detector); it is scored as a whole")
    public Scoring.Result predict(byte[] body, @QueryParam("detect") Boolean detect) {
        return detect == null || detect ? scoring.scoreImage(body) : scoring.scoreCrop(body);
    }

    @POST
    @Path("/video")
    @Consumes({"video/mp4", "video/x-msvideo", "video/quicktime", "video/x-matroska", "video/webm",
            MediaType.APPLICATION_OCTET_STREAM})
    @Produces({"application/x-ndjson", "text/csv"})
    @Operation(summary = "A video upload scored at fps sampled frames per second (default 5; 'all': every frame), "
            + "written while decoding: one NDJSON line per frame, or with Accept: text/csv the per-frame CSV of "
            + "./emotion predict (format=imotions|openface; one row per face, one empty row for a frame without "
            + "a face; a last line starting #error: when decoding failed mid-stream); smooth (0..1) applies an "
            + "EMA per tracked face")
    public Response video(InputStream body, @QueryParam("fps") String fps, @QueryParam("smooth") Double smooth,
                          @QueryParam("format") String format, @HeaderParam("Accept") String accept)
            throws IOException {
        double rate;
        try {
            rate = fps == null ? 5 : fps.equalsIgnoreCase("all") ? 1000 : Double.parseDouble(fps);
        } catch (NumberFormatException e) {
            return bad("fps must be a number in (0, 1000] or 'all', got '" + fps + "'");
        }
        if (!(rate > 0 && rate <= 1000)) {
            return bad("fps must be in (0, 1000] or 'all', got " + fps);
        }
        boolean csv = accept != null && accept.contains("text/csv") && !accept.contains("application/x-ndjson");
        PredictionCsv.Layout layout;
        try {
            layout = PredictionCsv.Layout.parse(format == null ? "imotions" : format);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        if (smooth != null && (smooth <= 0 || smooth > 1)) {
            return bad("smooth is the EMA weight of the newest frame, in (0, 1]; got " + smooth);
        }
        scoring.lease().close(); // fail fast with 503 before reading the upload when no model is loaded
        java.nio.file.Path file = Files.createTempFile("predict-", ".video");
        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = copyCapped(body, out, maxVideoBytes);
        }
        if (size < 0) {
            Files.deleteIfExists(file);
            scoring.rejected("too_large");
            return Response.status(413).type(MediaType.APPLICATION_JSON).entity(new ApiError("video too large",
                    "the upload exceeds " + maxVideoBytes + " bytes")).build();
        }
        VideoReader reader;
        try {
            reader = VideoReader.open(file);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            scoring.rejected("bad_video");
            return bad("not a readable video (" + size + " bytes): " + e.getMessage());
        }
        if (csv) {
            return Response.ok(csvStream(reader, file, rate, smooth, layout), "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"predictions.csv\"").build();
        }
        StreamingOutput stream = out -> {
            FaceTracks tracker = new FaceTracks();
            Map<Integer, double[]> ema = new HashMap<>();
            try (reader) {
                reader.decode(rate, (index, timestampMs, frame) -> {
                    Scoring.Result r = scoring.scoreFrame(frame, tracker, System.nanoTime());
                    List<FacePrediction> faces = smooth == null ? r.faces() : r.faces().stream()
                            .map(f -> smoothed(f, ema, smooth)).toList();
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("frame", index);
                    line.put("timestampMs", timestampMs);
                    line.put("modelId", r.modelId());
                    line.put("latencyMs", r.latencyMs());
                    line.put("faces", faces);
                    try {
                        out.write(Contracts.mapper().writeValueAsBytes(line));
                        out.write('\n');
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (RuntimeException e) {
                out.write(("{\"error\":" + Contracts.mapper().writeValueAsString(e.getMessage()) + "}\n")
                        .getBytes(StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(file);
            }
        };
        return Response.ok(stream, "application/x-ndjson").build();
    }

    /** The same frames as the NDJSON answer, as the per-frame CSV that {@code ./emotion predict} writes. */
    private StreamingOutput csvStream(VideoReader reader, java.nio.file.Path file, double rate, Double smooth,
                                      PredictionCsv.Layout layout) {
        return out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            PredictionCsv csv = new PredictionCsv(w, layout);
            FaceTracks tracker = new FaceTracks();
            Map<Integer, double[]> ema = new HashMap<>();
            try (reader) {
                csv.writeHeader();
                reader.decode(rate, (index, timestampMs, frame) -> {
                    Scoring.Result r = scoring.scoreFrame(frame, tracker, System.nanoTime());
                    csv.frame(index, timestampMs, r.modelId(), smooth == null ? r.faces() : r.faces().stream()
                            .map(f -> smoothed(f, ema, smooth)).toList());
                    try {
                        w.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (RuntimeException e) {
                csv.error(e.getMessage());
            } finally {
                w.flush();
                Files.deleteIfExists(file);
            }
        };
    }

    private static FacePrediction smoothed(FacePrediction f, Map<Integer, double[]> ema, double alpha) {
        List<String> labels = List.copyOf(f.probabilities().keySet());
        double[] p = labels.stream().mapToDouble(f.probabilities()::get).toArray();
        double[] s = TemporalSmoothing.ema(ema.get(f.faceId()), p, alpha);
        ema.put(f.faceId(), s);
        Map<String, Double> probs = new LinkedHashMap<>();
        String dominant = null;
        for (int i = 0; i < labels.size(); i++) {
            probs.put(labels.get(i), s[i]);
            if (dominant == null || s[i] > probs.get(dominant)) {
                dominant = labels.get(i);
            }
        }
        return new FacePrediction(f.faceId(), f.box(), probs, dominant, f.attention(), f.baseline(),
                f.detectionScore(), f.expressions(), f.valence(), f.engagement()); // only the emotions smoothed
    }

    /** Copies at most {@code max} bytes; -1 when the input was longer. */
    static long copyCapped(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > max) {
                return -1;
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    private Response bad(String detail) {
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(new ApiError("bad request", detail))
                .build();
    }
}
