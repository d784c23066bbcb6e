package dev.emotion.core.labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Splits one CSV line with Commons CSV: RFC 4180 quoting, any one-character delimiter, spaces around a cell dropped
 * and spaces inside quotes kept. The reader goes line by line itself (metadata rows, row numbers in its errors;
 * exports put no line breaks inside cells), so each line is parsed on its own, leniently: text after a closing
 * quote is kept and a quote left open ends with the line.
 */
final class CsvLine {

    private static final Map<Character, CSVFormat> FORMATS = new ConcurrentHashMap<>();

    private CsvLine() {
    }

    /** A line Commons CSV could not read even leniently. */
    static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }

    static List<String> split(String line, char delimiter) {
        CSVFormat format = FORMATS.computeIfAbsent(delimiter, d -> CSVFormat.RFC4180.builder().setDelimiter(d)
                .setIgnoreSurroundingSpaces(true).setTrailingData(true).setLenientEof(true)
                .setIgnoreEmptyLines(false).get());
        try (CSVParser parser = CSVParser.parse(line, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            return records.hasNext() ? records.next().toList() : List.of("");
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new Malformed("not readable as CSV (" + e.getMessage() + ")");
        }
    }

    /** The delimiter a header row uses: whichever of comma, tab and semicolon occurs most. */
    static char delimiterOf(String header) {
        long commas = header.chars().filter(c -> c == ',').count();
        long tabs = header.chars().filter(c -> c == '\t').count();
        long semis = header.chars().filter(c -> c == ';').count();
        if (tabs > commas && tabs >= semis) {
            return '\t';
        }
        return semis > commas ? ';' : ',';
    }
}
