package dev.emotion.core.store;

import dev.emotion.core.FileNames;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.FaceBatch;
import dev.emotion.core.contract.FaceFrame;
import dev.emotion.core.contract.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The training-side dataset store: one JPEG and one label file per face, at a path made of
 * study/split/participant/video/frame-face, so a redelivered batch rewrites the same files (no duplicates) and a
 * replay of the topic rebuilds the same store. The label file is written last, atomically: a sample exists once
 * both are complete. Unlabelled faces are stored too (inference and evaluation timelines use them).
 */
public final class SampleStore {

    private final Path root;

    public SampleStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** @return the number of faces written */
    public int write(FaceBatch batch) {
        return write(batch, true);
    }

    /**
     * @param crops false to keep only the labels (a service that needs a split's annotations, not its pixels); the
     *              samples read back then name a crop file that does not exist
     * @return the number of faces written
     */
    public int write(FaceBatch batch, boolean crops) {
        Path dir = root.resolve(FileNames.safe(batch.studyId())).resolve(batch.split().label()).resolve(FileNames.safe(batch.participantId()))
                .resolve(FileNames.safe(batch.videoId()));
        try {
            Files.createDirectories(dir);
            for (FaceFrame f : batch.frames()) {
                String name = String.format("%07d-%03d", f.index(), f.faceId());
                if (crops) {
                    writeAtomically(dir.resolve(name + ".jpg"), f.crop());
                }
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("jobId", batch.jobId());
                meta.put("timestampMs", f.timestampMs());
                meta.put("labels", f.labels());
                meta.put("dominant", f.dominant());
                writeAtomically(dir.resolve(name + ".json"), Contracts.mapper().writeValueAsBytes(meta));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store batch " + batch.key() + "#" + batch.batchIndex() + " in "
                    + dir + ": " + e.getMessage(), e);
        }
        return batch.frames().size();
    }

    /**
     * Labelled samples of one study and split whose ingest job completed ({@code completedJobs}; null = any), in a
     * stable order.
     */
    public List<Sample> samples(String studyId, Split split, Set<String> completedJobs) {
        Path dir = root.resolve(FileNames.safe(studyId)).resolve(split.label());
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path json : files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.naturalOrder())
                    .toList()) {
                JsonNode meta = Contracts.mapper().readTree(json.toFile());
                String jobId = meta.path("jobId").asText();
                if (meta.path("labels").isNull() || (completedJobs != null && !completedJobs.contains(jobId))) {
                    continue;
                }
                EmotionLabels l = Contracts.mapper().treeToValue(meta.get("labels"), EmotionLabels.class);
                float[] e = new float[7];
                for (Emotion emotion : Emotion.values()) {
                    e[emotion.ordinal()] = l.emotions().get(emotion).floatValue();
                }
                int dominant = Emotion.DOMINANT_LABELS.indexOf(meta.path("dominant").asText());
                Path rel = dir.relativize(json);
                String participant = rel.getName(0).toString();
                String base = json.getFileName().toString().replace(".json", "");
                out.add(new Sample(studyId + "/" + rel.toString().replace(".json", ""), jobId, participant, split,
                        json.resolveSibling(base + ".jpg"), dominant, e,
                        l.attention() == null ? Float.NaN : l.attention().floatValue(), rel.getName(1).toString(),
                        meta.path("timestampMs").asLong(), l.expressions(),
                        l.valence() == null ? Float.NaN : l.valence().floatValue(),
                        l.engagement() == null ? Float.NaN : l.engagement().floatValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store at " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Whether any face of the study and split is stored, without reading them: a cheap check before queueing work
     * that will read them (which still filters by completed jobs).
     */
    public boolean has(String studyId, Split split) {
        Path dir = root.resolve(FileNames.safe(studyId)).resolve(split.label());
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the store at " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        // A unique temporary name: redelivered copies of a batch may be written concurrently.
        Path tmp = target.resolveSibling(target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
