package dev.emotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.labels.LabelFileException;
import dev.emotion.core.labels.StillsFormats;
import dev.emotion.core.labels.StillsIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code import}: a study of labelled stills and clips of real people. Reads the user's copy in one of the common
 * layouts ({@link StillsFormats}), checks every row here (naming the file and row of a missing file, unknown label or
 * subject in two splits), packs the files with one canonical {@code labels.csv} into a zip, uploads it to
 * ingest-service ({@code POST /api/v1/ingest/jobs/stills}) and follows the job until its manifest is out.
 */
final class ImportCommand {

    static final String HELP = """
            Usage: ./emotion import --study S --images DIR [--labels FILE.csv] [--format csv|folders|fer2013|ckplus|rafdb|affectnet]
                                    [--split train|val|test|auto] [--aligned] [--detect] [--seed 42]
            A study of labelled stills and clips (mp4/avi/mov/webm, one label per clip) of real people.
              --format csv (default with --labels): DIR + a CSV file,label[,subject,split,source,AFFDEX columns 0..100]
              --format folders (default without --labels): DIR/<label>/*.jpg
              --format fer2013 | ckplus | rafdb | affectnet: the datasets' own download layouts (docs/real-faces.md)
            Labels: anger, contempt, disgust, fear, joy, sadness, surprise, neutral (also happy, happiness, angry,
            sad, surprised, fearful, disgusted). Splits group by subject (the person); without a subject column the
            images are dealt into random groups and the split cannot be grouped by person (the manifest says so).
            --split forces one split for every file; auto (default) keeps the CSV's split column, else 3:1:1.
            --aligned takes each image as the face (no detection; the default for fer2013 and RAF-DB aligned),
            --detect forces detection. Options: --url http://localhost:8081 (ingest-service), --api-key K.""";

    static int run(List<String> argv) throws Exception {
        Args a = new Args("import", argv, Set.of("study", "images", "labels", "format", "split", "seed", "url",
                "api-key", "max-fps"), Set.of("aligned", "detect"));
        String study = a.required("study");
        Path dir = Path.of(a.required("images"));
        Path labels = a.has("labels") ? Path.of(a.get("labels", null)) : null;
        String format = a.get("format", labels != null ? "csv" : "folders");
        StillsFormats.Study read;
        try {
            read = StillsFormats.read(format, dir, labels);
        } catch (IllegalArgumentException | LabelFileException | java.io.UncheckedIOException e) {
            throw new UsageException("import: " + e.getMessage());
        }
        boolean aligned = a.flag("aligned") || (read.aligned() && !a.flag("detect"));
        String split = a.get("split", "auto");
        Path zip = Files.createTempFile("emotion-import-", ".zip");
        try {
            Summary s = pack(read, zip);
            // The service reads the canonical CSV with the same checks: a refusal there names the same rows.
            System.out.printf("import: %d file(s) (%s), %s; %s%s%n", s.files(), s.labels(), s.grouping(),
                    aligned ? "taken as aligned face crops" : "faces detected",
                    read.skipped().isEmpty() ? "" : "; left out: " + read.skipped());
            ServiceClient service = new ServiceClient("import", "ingest-service", a.get("url",
                    System.getenv().getOrDefault("INGEST_URL", "http://localhost:"
                            + System.getenv().getOrDefault("INGEST_PORT", "8081"))),
                    a.get("api-key", System.getenv("EMOTION_API_KEY")));
            Multipart body = new Multipart().field("studyId", study).field("split", split)
                    .field("seed", a.get("seed", "42")).field("aligned", Boolean.toString(aligned))
                    .field("maxFps", a.get("max-fps", "5")).file("archive", zip, "application/zip");
            JsonNode json = service.submit("/api/v1/ingest/jobs/stills", body.contentType(), body.body(), study);
            if (json == null) {
                return 1;
            }
            return IngestCommand.follow(service, json.path("jobId").asText(), study, s.files(), "files")
                    ? 0 : 1;
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    record Summary(int files, Map<String, Integer> labels, String grouping) {
    }

    /** The zip the service takes: {@code labels.csv} (canonical layout) and every file under its row's name. */
    static Summary pack(StillsFormats.Study study, Path zip) throws IOException {
        List<StillsIndex.Row> rows = new ArrayList<>();
        Map<String, Integer> labels = new TreeMap<>();
        boolean subjects = false;
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.setLevel(java.util.zip.Deflater.NO_COMPRESSION); // images are compressed already
            for (StillsFormats.Item item : study.items()) {
                StillsIndex.Row r = item.row();
                out.putNextEntry(new ZipEntry(r.file()));
                out.write(item.bytes().get());
                out.closeEntry();
                rows.add(r);
                String label = StillsIndex.normalise(r.label());
                labels.merge(label == null ? r.label() : label, 1, Integer::sum);
                subjects |= r.subject() != null;
            }
            Path csv = Files.createTempFile("emotion-import-", ".csv");
            try {
                StillsIndex.write(csv, rows);
                // Checked here too (labels, duplicates, splits), so a bad row never travels.
                StillsIndex.read(csv, null, null, 0);
                out.putNextEntry(new ZipEntry("labels.csv"));
                Files.copy(csv, out);
                out.closeEntry();
            } catch (LabelFileException e) {
                throw new UsageException("import: " + e.getMessage().replace(csv.toString(), "the rows read"));
            } finally {
                Files.deleteIfExists(csv);
            }
        }
        return new Summary(rows.size(), labels, subjects ? "grouped by subject"
                : "no subject ids: " + StillsIndex.GROUPS + " random groups, not grouped by person");
    }
}
