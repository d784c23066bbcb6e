package dev.emotion.core.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A study folder: videos and their label CSVs matched by file name ({@code p01.mp4} + {@code p01.csv}), the file
 * name being the participant id. Used by ingest-service ({@code studyDir}) and the CLI ({@code --study-dir}).
 */
public final class StudyFolder {

    public static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mov", "mkv", "webm", "m4v");

    /** One participant's files. */
    public record Pair(String participantId, Path video, Path labels) {
    }

    private StudyFolder() {
    }

    /**
     * The pairs in participant order.
     *
     * @throws IllegalArgumentException naming the folder when it is not one, holds no video, or a video has no CSV
     */
    public static List<Pair> pairs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
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
                String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (VIDEO_EXTENSIONS.contains(ext)) {
                    videos.put(name.substring(0, dot), f);
                } else if (ext.equals("csv")) {
                    csvs.put(name.substring(0, dot), f);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException(dir + " has no video (" + VIDEO_EXTENSIONS + ")");
        }
        List<String> unmatched = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        videos.forEach((stem, video) -> {
            if (csvs.containsKey(stem)) {
                pairs.add(new Pair(stem, video, csvs.get(stem)));
            } else {
                unmatched.add(video.getFileName().toString());
            }
        });
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("no labels CSV for " + unmatched + " in " + dir
                    + " (name each CSV like its video: p01.mp4 + p01.csv)");
        }
        return pairs;
    }
}
