package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Split;
import dev.emotion.core.ingest.ParticipantSplits;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Turns requests into {@link JobPlan}s, rejecting what would fail later: bad paths, missing files, bad labels. */
final class JobPlanner {

    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mov", "mkv", "webm", "m4v");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final long DEFAULT_SEED = 42;

    private final Path dataDir;

    JobPlanner(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    JobPlan plan(String jobId, IngestJobRequest r) {
        String studyId = id("studyId", r.studyId());
        double maxFps = fps(r.maxFps());
        long seed = r.seed() == null ? DEFAULT_SEED : r.seed();
        if (r.studyDir() != null) {
            if (r.video() != null || r.participantId() != null) {
                throw new BadRequest("give either studyDir or participantId + video, not both");
            }
            return new JobPlan(jobId, studyId, studyDir(resolve("studyDir", r.studyDir()), seed), maxFps);
        }
        String participant = id("participantId", r.participantId());
        Path video = existing("video", resolve("video", required("video", r.video())));
        Path labels = r.labels() == null ? null : existing("labels", resolve("labels", r.labels()));
        return new JobPlan(jobId, studyId, List.of(item(participant, video, labels, split(r.split(), participant,
                seed))), maxFps);
    }

    /** A single participant whose files were uploaded (already inside the data directory). */
    JobPlan uploaded(String jobId, String studyId, String participantId, Path video, Path labels, String split,
                     Double maxFps) {
        String participant = id("participantId", participantId);
        return new JobPlan(jobId, id("studyId", studyId), List.of(item(participant, video, labels,
                split(split, participant, DEFAULT_SEED))), fps(maxFps));
    }

    private static double fps(Double requested) {
        double maxFps = requested == null ? 30 : requested;
        if (!(maxFps > 0 && maxFps <= 240)) {
            throw new BadRequest("maxFps " + requested + " is outside (0, 240]");
        }
        return maxFps;
    }

    private List<JobPlan.Item> studyDir(Path dir, long seed) {
        if (!Files.isDirectory(dir)) {
            throw new BadRequest("studyDir " + relative(dir) + " is not a directory under the data directory");
        }
        Map<String, Path> videos = new TreeMap<>();
        Map<String, Path> csvs = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot <= 0) {
                    return;
                }
                String stem = name.substring(0, dot);
                String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (VIDEO_EXTENSIONS.contains(ext)) {
                    videos.put(stem, f);
                } else if (ext.equals("csv")) {
                    csvs.put(stem, f);
                }
            });
        } catch (IOException e) {
            throw new BadRequest("cannot list studyDir " + relative(dir) + ": " + e.getMessage());
        }
        if (videos.isEmpty()) {
            throw new BadRequest("studyDir " + relative(dir) + " has no video (" + VIDEO_EXTENSIONS + ")");
        }
        List<String> unmatched = videos.keySet().stream().filter(s -> !csvs.containsKey(s)).toList();
        if (!unmatched.isEmpty()) {
            throw new BadRequest("studyDir " + relative(dir) + ": no labels CSV for " + unmatched
                    + " (name each CSV like its video, e.g. p01.mp4 + p01.csv)");
        }
        Map<String, Split> splits = ParticipantSplits.assign(new ArrayList<>(videos.keySet()), seed, 3, 1, 1);
        List<JobPlan.Item> items = new ArrayList<>();
        videos.forEach((stem, video) -> items.add(item(id("participant (file name)", stem), video, csvs.get(stem),
                splits.get(stem))));
        return items;
    }

    private JobPlan.Item item(String participant, Path video, Path labels, Split split) {
        if (labels != null) {
            try {
                new AffdexCsvReader().read(labels);
            } catch (LabelFileException e) {
                throw new BadRequest(e.getMessage().replace(dataDir + "/", ""));
            }
        }
        return new JobPlan.Item(participant, video, labels, split);
    }

    private static Split split(String value, String participant, long seed) {
        if (value == null || value.isBlank()) {
            return ParticipantSplits.forOne(participant, seed);
        }
        for (Split s : Split.values()) {
            if (s.label().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new BadRequest("split '" + value + "' is not one of train, val, test");
    }

    Path resolve(String field, String path) {
        Path p = dataDir.resolve(path).toAbsolutePath().normalize();
        if (!p.startsWith(dataDir)) {
            throw new BadRequest(field + " '" + path + "' is outside the data directory; give a path relative to "
                    + "it (or upload the file as multipart)");
        }
        return p;
    }

    private Path existing(String field, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new BadRequest(field + " " + relative(p) + " does not exist in the data directory " + dataDir);
        }
        return p;
    }

    private String relative(Path p) {
        return dataDir.relativize(p).toString();
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new BadRequest(field + " is required");
        }
        return value;
    }

    private static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new BadRequest(field + " '" + value + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }
}
