package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.ingest.StudyFolder;
import dev.emotion.core.labels.AffdexCsvReader;
import dev.emotion.core.labels.LabelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns requests into {@link JobPlan}s, rejecting what would fail later: bad paths, missing files, bad labels. */
final class JobPlanner {

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

    /**
     * A study of stills and clips unpacked in {@code dir} (inside the data directory) with its {@code labels.csv}:
     * checked whole (files, labels, splits) before the job is queued.
     */
    JobPlan stills(String jobId, String studyId, Path dir, String split, Long seed, Boolean aligned, Double maxFps,
                   Map<String, Split> existing) {
        Path labels = dir.resolve(STILLS_LABELS);
        Split forced = split == null || split.isBlank() || split.equalsIgnoreCase("auto") ? null
                : split(split, "", 0);
        long s = seed == null ? DEFAULT_SEED : seed;
        dev.emotion.core.labels.StillsIndex index;
        try {
            index = dev.emotion.core.labels.StillsIndex.read(labels, dir, forced, s);
        } catch (LabelFileException e) {
            throw new BadRequest(e.getMessage().replace(dir + "/", "").replace(dataDir + "/", ""));
        }
        Map<String, Split> planned = new java.util.TreeMap<>();
        index.entries().forEach(e -> planned.put(e.participant(), e.split()));
        sameSplits(studyId, existing, planned);
        return new JobPlan(jobId, id("studyId", studyId), List.of(), fps(maxFps), new JobPlan.Stills(dir, labels,
                forced, s, Boolean.TRUE.equals(aligned)));
    }

    /**
     * Refuses a plan that would put a person already in the study into another split (their faces would then be
     * trained on and tested on), naming the person; re-ingesting into the same split replaces their counts.
     */
    static void sameSplits(String studyId, Map<String, Split> existing, Map<String, Split> planned) {
        for (var e : planned.entrySet()) {
            Split before = existing.get(e.getKey());
            if (before != null && before != e.getValue()) {
                throw new BadRequest("participant " + e.getKey() + " of study " + studyId + " is already in the "
                        + before.label() + " split; ingesting them into " + e.getValue().label() + " would put one"
                        + " person in two splits: ingest them into " + before.label() + " (split=" + before.label()
                        + ", or the same seed), or use a new study id");
            }
        }
    }

    /** The labels file at the top of an uploaded stills archive. */
    static final String STILLS_LABELS = "labels.csv";

    private static double fps(Double requested) {
        double maxFps = requested == null ? 30 : requested;
        if (!(maxFps > 0 && maxFps <= 240)) {
            throw new BadRequest("maxFps " + requested + " is outside (0, 240]");
        }
        return maxFps;
    }

    private List<JobPlan.Item> studyDir(Path dir, long seed) {
        List<StudyFolder.Pair> pairs;
        try {
            pairs = StudyFolder.pairs(dir);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new BadRequest("studyDir " + e.getMessage().replace(dataDir + "/", ""));
        }
        Map<String, Split> splits = ParticipantSplits.assign(pairs.stream().map(StudyFolder.Pair::participantId)
                .toList(), seed, 3, 1, 1);
        List<JobPlan.Item> items = new ArrayList<>();
        for (StudyFolder.Pair p : pairs) {
            items.add(item(id("participant (file name)", p.participantId()), p.video(), p.labels(),
                    splits.get(p.participantId())));
        }
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
        if (!dev.emotion.core.FileNames.within(dataDir, p)) {
            throw new BadRequest(field + " '" + path + "' is outside the data directory" + (p.startsWith(dataDir)
                    ? " (through a symbolic link)" : "") + "; give a path relative to it (or upload the file as "
                    + "multipart)");
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
