package dev.emotion.core.labels;

import dev.emotion.core.contract.Emotion;
import dev.emotion.core.contract.EmotionLabels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads facial-expression annotations exported by iMotions (AFFDEX) or written by the Affdex SDK.
 *
 * <p>iMotions: optional leading {@code #key,value} metadata rows, a header whose names may repeat (the first
 * occurrence wins), {@code Timestamp} in milliseconds, capitalised {@code Anger ... Surprise}, {@code Engagement},
 * {@code Valence}, {@code Attention}, scores 0..100 (valence -100..100), {@code NaN}/empty cells where no face was
 * found; AFFDEX's facial-expression columns ({@code Brow Furrow ... Upper Lip Raise}, or the SDK's
 * {@code browFurrow ...}) when present, 0..100 each. Affdex SDK: {@code TimeStamp} in seconds and lower-case {@code joy, fear, ...}. Names match
 * case-insensitively; the format is told by the spelling of the timestamp and emotion columns.
 *
 * <p>Rows without a face become gaps. A row with an unreadable or out-of-range value becomes a gap too and is
 * counted as a warning; more than {@link #MAX_BAD_ROW_FRACTION} of such rows, time going backwards, or a file that is
 * not a CSV export rejects the file with a {@link LabelFileException} naming file, row and column.
 */
public final class AffdexCsvReader {

    public static final double MAX_BAD_ROW_FRACTION = 0.10;
    private static final int MAX_WARNINGS_KEPT = 50;
    private static final Set<String> MISSING = Set.of("", "nan", "na", "n/a", "null", "-");

    public LabelTrack read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LabelFileException(file, 0, null, "no such file (give the path of the exported CSV)");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return parse(file, in);
        } catch (CharacterCodingException e) {
            throw new LabelFileException(file, 0, null,
                    "is not UTF-8 text (binary data?): expected a CSV export from iMotions or the Affdex SDK");
        } catch (NoSuchFileException e) {
            throw new LabelFileException(file, 0, null, "no such file");
        } catch (IOException e) {
            throw new LabelFileException(file, 0, null, "cannot be read: " + e.getMessage());
        }
    }

    private LabelTrack parse(Path file, BufferedReader in) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        String line;
        int row = 0;
        Header header = null;
        List<RawRow> rows = new ArrayList<>();
        int dataRows = 0;
        int noFaceRows = 0;
        boolean previousNoFace = false;
        int badRows = 0;
        String firstBad = null;
        long previous = Long.MIN_VALUE;
        int previousRow = 0;
        while ((line = in.readLine()) != null) {
            row++;
            if (line.indexOf('\0') >= 0) {
                throw new LabelFileException(file, row, null,
                        "contains binary data (NUL bytes): expected a CSV export from iMotions or the Affdex SDK");
            }
            if (row == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (header == null) {
                if (line.startsWith("#")) {
                    metadata(line.substring(1), metadata);
                    continue;
                }
                header = Header.of(file, row, line);
                continue;
            }
            dataRows++;
            List<String> cells;
            try {
                cells = CsvLine.split(line, header.delimiter);
            } catch (CsvLine.Malformed e) {
                badRows++;
                firstBad = warn(warnings, firstBad, row, null, e.getMessage());
                continue;
            }
            String tsColumn = header.names.get(header.timestamp);
            String tsCell = cell(cells, header.timestamp);
            long ts;
            boolean gluedNoFace = false;
            java.util.regex.Matcher glued = GLUED_NO_FACE.matcher(tsCell);
            if (glued.matches()) {
                // The Affdex SDK's video demo writes a no-face row as "18.0000nan,nan,no,...": the timestamp
                // glued to the first "nan" (its comma is missing, so the row is one field short).
                tsCell = glued.group(1);
                gluedNoFace = true;
            }
            try {
                double t = Double.parseDouble(tsCell);
                if (!Double.isFinite(t) || t < 0) {
                    throw new NumberFormatException();
                }
                ts = Math.round(header.secondsTimestamps ? t * 1000.0 : t);
            } catch (NumberFormatException e) {
                // No usable time: the row cannot even be placed as a gap.
                badRows++;
                firstBad = warn(warnings, firstBad, row, tsColumn, "'" + tsCell + "' is not a timestamp");
                continue;
            }
            if (ts < previous) {
                throw new LabelFileException(file, row, tsColumn, "time goes backwards (" + ts + " ms after "
                        + previous + " ms at row " + previousRow + "); export the data sorted by time");
            }
            Values values = gluedNoFace ? Values.NO_FACE : header.values(cells);
            if (ts == previous) {
                // iMotions repeats a timestamp for other sensors' rows (GSR, eye tracking) and the Affdex SDK for
                // a second face: the first row with a face stands, an earlier face-less row at that time gives way.
                if (previousNoFace && values.raw() != null) {
                    rows.set(rows.size() - 1, new RawRow(ts, values.raw(), values.expressions()));
                    noFaceRows--;
                    previousNoFace = false;
                }
                continue;
            }
            if (values.problem() != null) {
                badRows++;
                firstBad = warn(warnings, firstBad, row, values.column(), values.problem());
            } else if (values.raw() == null) {
                noFaceRows++;
            }
            previousNoFace = values.problem() == null && values.raw() == null;
            rows.add(new RawRow(ts, values.raw(), values.expressions()));
            previous = ts;
            previousRow = row;
        }
        if (header == null) {
            throw new LabelFileException(file, 0, null, row == 0 ? "is empty" : "has no header row (only "
                    + row + " metadata/blank rows)");
        }
        if (dataRows == 0) {
            throw new LabelFileException(file, 0, null, "has a header but no data rows");
        }
        if (badRows > MAX_BAD_ROW_FRACTION * dataRows) {
            throw new LabelFileException(file, 0, null, badRows + " of " + dataRows + " rows have unusable values "
                    + "(more than " + (int) (MAX_BAD_ROW_FRACTION * 100) + " %); first: " + firstBad);
        }
        if (rows.stream().allMatch(RawRow::isGap)) {
            throw new LabelFileException(file, 0, null, "no row has emotion values (all " + dataRows
                    + " rows are NaN/empty: the export found no face)");
        }
        if (badRows > warnings.size()) {
            warnings.add("... and " + (badRows - warnings.size()) + " more rows like these");
        }
        // One scale per file, never guessed per row: AFFDEX writes 0..100 (valence -100..100); some pipelines
        // rescale to 0..1. A file none of whose scores exceeds 1 is read as 0..1.
        double max = rows.stream().filter(r -> !r.isGap()).mapToDouble(RawRow::maxAbs).max().orElse(0);
        boolean unit = max <= 1.0;
        List<LabelSample> samples = new ArrayList<>(rows.size());
        for (RawRow r : rows) {
            samples.add(new LabelSample(r.timestampMs(), r.labels(unit ? 1.0 : 100.0, header.expressionNames)));
        }
        return new LabelTrack(file, header.secondsTimestamps ? "affdex-sdk" : "imotions", metadata,
                List.copyOf(samples), List.copyOf(warnings), unit ? LabelTrack.SCALE_UNIT : LabelTrack.SCALE_PERCENT,
                noFaceRows, badRows);
    }

    /**
     * One metadata row without its '#': iMotions 7+ writes {@code #Key,Value}, iMotions 6 {@code #Key : Value}
     * (tab- or comma-separated files alike).
     */
    private static void metadata(String line, Map<String, String> metadata) {
        List<String> cells;
        try {
            cells = CsvLine.split(line, CsvLine.delimiterOf(line));
        } catch (CsvLine.Malformed e) {
            return; // a metadata row is informative only
        }
        String key = cells.get(0);
        String value = cells.size() > 1 ? cells.get(1) : "";
        int colon = key.indexOf(':');
        if (colon > 0 && (value.isEmpty() || key.indexOf(" : ") > 0)) {
            value = key.substring(colon + 1).trim() + (value.isEmpty() ? "" : "," + value);
            key = key.substring(0, colon).trim();
        }
        if (!key.isEmpty()) {
            metadata.put(key, value);
        }
    }

    private static final java.util.regex.Pattern GLUED_NO_FACE =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?)nan", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A row as read, before the file's scale is known: {@code raw == null} is a gap (no face). */
    private record RawRow(long timestampMs, double[] raw, double[] expressions) {

        boolean isGap() {
            return raw == null;
        }

        double maxAbs() {
            double m = 0;
            for (double v : raw) {
                m = Double.isNaN(v) ? m : Math.max(m, Math.abs(v));
            }
            for (double v : expressions) {
                m = Double.isNaN(v) ? m : Math.max(m, Math.abs(v));
            }
            return m;
        }

        EmotionLabels labels(double full, List<String> expressionNames) {
            if (raw == null) {
                return null;
            }
            Double[] v = new Double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                v[i] = Double.isNaN(raw[i]) ? null : raw[i] / full;
            }
            Map<String, Double> expr = null;
            for (int k = 0; k < expressions.length; k++) {
                if (!Double.isNaN(expressions[k])) {
                    if (expr == null) {
                        expr = new LinkedHashMap<>();
                    }
                    expr.put(expressionNames.get(k), expressions[k] / full);
                }
            }
            return new EmotionLabels(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], expr);
        }
    }

    /** Keeps the first warnings; returns the first one ever seen. */
    private static String warn(List<String> warnings, String firstBad, int row, String column, String problem) {
        String w = "row " + row + (column == null ? "" : " column '" + column + "'") + ": " + problem;
        if (warnings.size() < MAX_WARNINGS_KEPT) {
            warnings.add(w);
        }
        return firstBad == null ? w : firstBad;
    }

    /**
     * A row's scores on the file's own scale (NaN where a cell is empty), or a gap ({@code raw == null});
     * {@code problem} says why a row with values could not be used.
     */
    private record Values(double[] raw, double[] expressions, String problem, String column) {

        static final Values NO_FACE = new Values(null, null, null, null);

        static Values bad(String problem, String column) {
            return new Values(null, null, problem, column);
        }
    }

    private static String cell(List<String> cells, int index) {
        return index < cells.size() ? cells.get(index) : "";
    }

    /** Where the columns this reader needs are, by case-insensitive name, first occurrence. */
    private static final class Header {

        /** The seven emotions in {@link Emotion} order, then the optional valence, engagement, attention. */
        static final List<String> COLUMNS = List.of("joy", "anger", "fear", "disgust", "sadness", "surprise",
                "contempt", "valence", "engagement", "attention");

        final char delimiter;
        final List<String> names;
        final int timestamp;
        final int[] columns = new int[COLUMNS.size()];
        final boolean secondsTimestamps;
        /** AFFDEX expression columns present: name (AFFDEX spelling) and index. */
        final List<String> expressionNames = new ArrayList<>();
        final List<Integer> expressionColumns = new ArrayList<>();

        private Header(Path file, int row, String line) {
            delimiter = CsvLine.delimiterOf(line);
            try {
                names = CsvLine.split(line, delimiter);
            } catch (CsvLine.Malformed e) {
                throw new LabelFileException(file, row, null, "the header row is " + e.getMessage());
            }
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT), i);
            }
            Integer ts = index.get("timestamp");
            if (ts == null) {
                throw new LabelFileException(file, row, null, "no Timestamp column in the header (found: "
                        + preview(names) + "); is this an iMotions/Affdex export?");
            }
            timestamp = ts;
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) {
                columns[i] = index.getOrDefault(COLUMNS.get(i), -1);
                if (columns[i] < 0 && i < 7) {
                    missing.add(capitalise(COLUMNS.get(i)));
                }
            }
            if (!missing.isEmpty()) {
                throw new LabelFileException(file, row, null, "no " + String.join(", ", missing)
                        + " column(s) in the header (found: " + preview(names) + "); export the AFFDEX emotion"
                        + " channels");
            }
            // Expressions: iMotions writes "Brow Furrow", the Affdex SDK "browFurrow"; compare without spaces.
            Map<String, Integer> compact = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                compact.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT).replace(" ", "").replace("_", ""), i);
            }
            for (String name : EmotionLabels.AFFDEX_EXPRESSIONS) {
                Integer at = compact.get(name.toLowerCase(Locale.ROOT).replace(" ", ""));
                if (at != null) {
                    expressionNames.add(name);
                    expressionColumns.add(at);
                }
            }
            String tsName = names.get(timestamp);
            String joyName = names.get(columns[0]);
            secondsTimestamps = tsName.equals("TimeStamp") || joyName.equals("joy");
        }

        Values values(List<String> cells) {
            double[] v = new double[COLUMNS.size()];
            java.util.Arrays.fill(v, Double.NaN);
            int present = 0;
            for (int i = 0; i < v.length; i++) {
                if (columns[i] < 0) {
                    continue;
                }
                String raw = cell(cells, columns[i]);
                if (MISSING.contains(raw.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                double d;
                try {
                    d = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    return Values.bad("'" + raw + "' is not a number", names.get(columns[i]));
                }
                double min = COLUMNS.get(i).equals("valence") ? -100 : 0;
                if (!(d >= min - 1e-6 && d <= 100 + 1e-6)) {
                    return Values.bad(raw + " is outside [" + (int) min + ", 100]", names.get(columns[i]));
                }
                v[i] = Math.max(min, Math.min(100, d));
                if (i < 7) {
                    present++;
                }
            }
            if (present == 0) {
                return Values.NO_FACE; // no face in this row: a gap, not an error
            }
            if (present < 7) {
                return Values.bad("only " + present + " of the 7 emotion values are present", null);
            }
            double[] expressions = new double[expressionColumns.size()];
            java.util.Arrays.fill(expressions, Double.NaN);
            for (int k = 0; k < expressionColumns.size(); k++) {
                String raw = cell(cells, expressionColumns.get(k));
                if (MISSING.contains(raw.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                String column = names.get(expressionColumns.get(k));
                double d;
                try {
                    d = Double.parseDouble(raw);
                } catch (NumberFormatException e) {
                    return Values.bad("'" + raw + "' is not a number", column);
                }
                if (!(d >= -1e-6 && d <= 100 + 1e-6)) {
                    return Values.bad(raw + " is outside [0, 100]", column);
                }
                expressions[k] = Math.max(0, Math.min(100, d));
            }
            return new Values(v, expressions, null, null);
        }

        static Header of(Path file, int row, String line) {
            return new Header(file, row, line);
        }

        private static String capitalise(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        private static String preview(List<String> names) {
            return names.size() <= 12 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 12)) + ", ... (" + names.size() + " columns)";
        }
    }
}
