package dev.emotion.core.labels;

import dev.emotion.core.contract.EmotionLabels;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.contract.Split;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A study of labelled stills and clips: one row per file with its class (the seven emotions or neutral), and
 * optionally the person ({@code subject}: splits and folds group by it), a {@code split}, the {@code source} it came
 * from and AFFDEX expression columns (0..100). This is the layout {@code ./emotion import} uploads (every
 * dataset reader writes it) and ingest-service reads. Checked as a whole before anything is ingested: a missing or
 * repeated file, an unknown label, a bad split or expression value, or a subject in two splits is refused naming the
 * row.
 *
 * @param entries  the rows, in file order
 * @param grouping how participants were formed: {@code subject} (the CSV names people) or {@code random groups}
 *                 (no subject ids: images dealt into groups by a hash of their file name; folds then cannot be
 *                 grouped by person, and the manifest says so)
 */
public record StillsIndex(List<Entry> entries, String grouping) {

    /**
     * @param row         1-based line of the CSV (the header is line 1)
     * @param file        path relative to the study's folder, '/'-separated
     * @param label       one of {@link dev.emotion.core.contract.Emotion#DOMINANT_LABELS}
     * @param participant the subject, or the random group when the CSV names no subject
     * @param split       the split, always set once {@link #read} returns
     * @param source      where the image came from (free text; the report's per-source table), or null
     * @param expressions AFFDEX expression intensities in [0, 1] by AFFDEX name, or null
     */
    public record Entry(int row, String file, String label, String participant, Split split, String source,
                        Map<String, Double> expressions) {

        /** A clip (one label for the whole clip) rather than a still, by its file name. */
        public boolean clip() {
            return isClip(file);
        }

        /** The frame's annotation: the labelled emotion at full intensity (neutral: none), with the expressions. */
        public EmotionLabels labels() {
            double[] e = new double[7];
            int k = EMOTIONS.indexOf(label);
            if (k >= 0 && k < e.length) { // neutral: no emotion
                e[k] = 1.0;
            }
            return new EmotionLabels(e[0], e[1], e[2], e[3], e[4], e[5], e[6], null, null, null, expressions);
        }
    }

    /** The classes in the order of {@link dev.emotion.core.contract.Emotion}, then neutral. */
    private static final List<String> EMOTIONS = dev.emotion.core.contract.Emotion.DOMINANT_LABELS;
    public static final String SUBJECT = "subject";
    public static final String RANDOM_GROUPS = "random groups";
    /** How many random groups images without subject ids are dealt into. */
    public static final int GROUPS = 20;
    private static final Set<String> CLIP_EXTENSIONS = Set.of("mp4", "avi", "mov", "webm", "mkv", "flv");
    private static final List<String> COLUMNS = List.of("file", "label", "subject", "split", "source");

    /** The spellings datasets use, mapped to the project's class names. */
    private static final Map<String, String> SYNONYMS = synonyms();

    private static Map<String, String> synonyms() {
        Map<String, String> m = new HashMap<>();
        for (String c : EMOTIONS) {
            m.put(c, c);
        }
        for (String s : List.of("happy", "happiness", "happily", "smile", "smiling")) {
            m.put(s, "joy");
        }
        for (String s : List.of("angry", "anger", "mad")) {
            m.put(s, "anger");
        }
        for (String s : List.of("sad", "sadness", "unhappy")) {
            m.put(s, "sadness");
        }
        for (String s : List.of("surprised", "surprise", "surprising")) {
            m.put(s, "surprise");
        }
        for (String s : List.of("fearful", "fear", "afraid", "scared")) {
            m.put(s, "fear");
        }
        for (String s : List.of("disgusted", "disgust")) {
            m.put(s, "disgust");
        }
        for (String s : List.of("contemptuous", "contempt")) {
            m.put(s, "contempt");
        }
        for (String s : List.of("neutral", "calm", "none")) {
            m.put(s, "neutral");
        }
        return Map.copyOf(m);
    }

    /** The project's class for a dataset's label, or null when it is none of the eight. */
    public static String normalise(String raw) {
        return raw == null ? null : SYNONYMS.get(raw.trim().toLowerCase(Locale.ROOT));
    }

    public static boolean isClip(String file) {
        int dot = file.lastIndexOf('.');
        return dot >= 0 && CLIP_EXTENSIONS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Reads and checks {@code csv}; files are relative to {@code dir} and must exist there. {@code forced}: every row
     * goes to this split (null: the CSV's {@code split} column where given, else participants are split 3:1:1 with
     * {@code seed}).
     */
    public static StillsIndex read(Path csv, Path dir, Split forced, long seed) {
        if (!Files.isRegularFile(csv)) {
            throw new LabelFileException(csv, 0, null, "no such file (give the labels CSV: file,label[,subject,split,"
                    + "source,AFFDEX expression columns])");
        }
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                     .setIgnoreEmptyLines(true).get().parse(in)) {
            return parse(csv, dir, p, forced, seed);
        } catch (IOException | UncheckedIOException e) {
            throw new LabelFileException(csv, 0, null, "cannot be read as CSV: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new LabelFileException(csv, 1, null, "bad header: " + e.getMessage());
        }
    }

    private static StillsIndex parse(Path csv, Path dir, CSVParser p, Split forced, long seed) {
        Map<String, String> header = new HashMap<>(); // lower-case name -> as written
        p.getHeaderNames().forEach(h -> header.put(h.toLowerCase(Locale.ROOT), h));
        for (String required : List.of("file", "label")) {
            if (!header.containsKey(required)) {
                throw new LabelFileException(csv, 1, required, "missing column (the header must have file,label; "
                        + "optional: subject, split, source and AFFDEX expression columns 0..100); found "
                        + p.getHeaderNames());
            }
        }
        Map<String, String> expressionColumns = new LinkedHashMap<>();
        for (String name : EmotionLabels.AFFDEX_EXPRESSIONS) {
            String h = header.get(name.toLowerCase(Locale.ROOT));
            if (h != null) {
                expressionColumns.put(name, h);
            }
        }
        boolean subjects = header.containsKey("subject");
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CSVRecord r : p) {
            int row = (int) r.getRecordNumber() + 1;
            String file = cell(r, header.get("file")).replace('\\', '/');
            if (file.isEmpty()) {
                throw new LabelFileException(csv, row, "file", "is empty");
            }
            if (file.startsWith("/") || List.of(file.split("/")).contains("..")) {
                throw new LabelFileException(csv, row, "file", "'" + file + "' must be a path inside the images "
                        + "folder (no leading '/', no '..')");
            }
            Integer first = seen.putIfAbsent(file, row);
            if (first != null) {
                throw new LabelFileException(csv, row, "file", "'" + file + "' is listed twice (also row " + first
                        + "): one label per file");
            }
            if (dir != null && !Files.isRegularFile(dir.resolve(file))) {
                throw new LabelFileException(csv, row, "file", "'" + file + "' does not exist in " + dir);
            }
            String rawLabel = cell(r, header.get("label"));
            String label = normalise(rawLabel);
            if (label == null) {
                throw new LabelFileException(csv, row, "label", "'" + rawLabel + "' is not a known class; use one"
                        + " of " + EMOTIONS + " (also accepted: happy, happiness, angry, sad, surprised, fearful,"
                        + " disgusted, contemptuous)");
            }
            String subject = subjects ? cell(r, header.get("subject")) : "";
            if (subjects && subject.isEmpty()) {
                throw new LabelFileException(csv, row, "subject", "is empty (every row names its person when the "
                        + "column is there)");
            }
            Split split = forced;
            if (split == null && header.containsKey("split")) {
                String s = cell(r, header.get("split"));
                split = s.isEmpty() || s.equalsIgnoreCase("auto") ? null : splitOf(s, csv, row);
            }
            String source = header.containsKey("source") ? cell(r, header.get("source")) : "";
            Map<String, Double> expressions = null;
            if (!expressionColumns.isEmpty()) {
                expressions = new TreeMap<>();
                for (Map.Entry<String, String> c : expressionColumns.entrySet()) {
                    String v = cell(r, c.getValue());
                    if (v.isEmpty()) {
                        continue;
                    }
                    double x;
                    try {
                        x = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new LabelFileException(csv, row, c.getValue(), "'" + v + "' is not a number (0..100)");
                    }
                    if (!(x >= 0 && x <= 100)) {
                        throw new LabelFileException(csv, row, c.getValue(), v + " is outside 0..100");
                    }
                    expressions.put(c.getKey(), x / 100.0);
                }
            }
            String participant = subjects ? subject : group(file, split);
            out.add(new Entry(row, file, label, participant, split, source.isEmpty() ? null : source,
                    expressions));
        }
        if (out.isEmpty()) {
            throw new LabelFileException(csv, 0, null, "has a header but no rows");
        }
        return new StillsIndex(withSplits(csv, out, seed), subjects ? SUBJECT : RANDOM_GROUPS);
    }

    /** Participants with no split of their own get one (3:1:1 by participant); a participant in two splits is refused. */
    private static List<Entry> withSplits(Path csv, List<Entry> entries, long seed) {
        Map<String, Entry> firstSplit = new HashMap<>();
        List<String> unsplit = new ArrayList<>();
        for (Entry e : entries) {
            if (e.split() == null) {
                unsplit.add(e.participant());
                continue;
            }
            Entry other = firstSplit.putIfAbsent(e.participant(), e);
            if (other != null && other.split() != e.split()) {
                throw new LabelFileException(csv, e.row(), "split", "subject '" + e.participant() + "' is in split "
                        + e.split().label() + " here and in " + other.split().label() + " at row " + other.row()
                        + ": a person's images must all be in one split (or leave the split to the import)");
            }
        }
        for (Entry e : entries) {
            if (e.split() == null && firstSplit.containsKey(e.participant())) {
                throw new LabelFileException(csv, e.row(), "split", "subject '" + e.participant() + "' has no split"
                        + " here but split " + firstSplit.get(e.participant()).split().label() + " at row "
                        + firstSplit.get(e.participant()).row() + ": give it on every row of the person or on none");
            }
        }
        Map<String, Split> assigned = ParticipantSplits.assign(unsplit, seed, 3, 1, 1);
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.split() != null ? e : new Entry(e.row(), e.file(), e.label(), e.participant(),
                    assigned.get(e.participant()), e.source(), e.expressions()));
        }
        return List.copyOf(out);
    }

    /** The random group of an image without a subject: by a hash of its name, within its split when it has one. */
    static String group(String file, Split split) {
        int g = Math.floorMod(file.hashCode() * 0x9E3779B1, GROUPS);
        return (split == null ? "" : split.label() + "-") + String.format(Locale.ROOT, "group%02d", g);
    }

    private static Split splitOf(String s, Path csv, int row) {
        String v = s.toLowerCase(Locale.ROOT);
        switch (v) {
            case "train", "training" -> {
                return Split.TRAIN;
            }
            case "val", "valid", "validation", "publictest" -> {
                return Split.VAL;
            }
            case "test", "privatetest" -> {
                return Split.TEST;
            }
            default -> throw new LabelFileException(csv, row, "split", "'" + s + "' is not one of train, val, test"
                    + " (or auto, or empty)");
        }
    }

    private static String cell(CSVRecord r, String column) {
        return column != null && r.isMapped(column) && r.isSet(column) ? r.get(column).trim() : "";
    }

    /** Writes the canonical layout (file,label,subject,split,source + the expressions any row has). */
    public static void write(Path csv, List<Row> rows) {
        List<String> expressions = EmotionLabels.AFFDEX_EXPRESSIONS.stream()
                .filter(n -> rows.stream().anyMatch(r -> r.expressions() != null && r.expressions().containsKey(n)))
                .toList();
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(expressions);
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                     .get())) {
            for (Row r : rows) {
                List<Object> cells = new ArrayList<>(List.of(r.file(), r.label(), nz(r.subject()), nz(r.split()),
                        nz(r.source())));
                for (String n : expressions) {
                    Double v = r.expressions() == null ? null : r.expressions().get(n);
                    cells.add(v == null ? "" : v);
                }
                out.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * One row as a dataset reader produces it (before checks): {@code label} as the dataset spells it,
     * {@code subject}/{@code split}/{@code source} null when unknown, expressions 0..100.
     */
    public record Row(String file, String label, String subject, String split, String source,
                      Map<String, Double> expressions) {
    }

    /** Participants by split, for the manifest and the CLI's summary. */
    public Map<Split, Long> participantsPerSplit() {
        Map<Split, Long> m = new TreeMap<>();
        entries.stream().map(e -> Map.entry(e.participant(), e.split())).distinct()
                .forEach(e -> m.merge(e.getValue(), 1L, Long::sum));
        return m;
    }
}
