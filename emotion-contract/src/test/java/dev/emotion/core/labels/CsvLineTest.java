package dev.emotion.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvLineTest {

    @Test
    void quotingDelimitersAndSpaces() {
        assertEquals(List.of("a", "b", "c"), CsvLine.split("a, b ,c", ','));
        // spaces around a cell go, spaces inside quotes stay (the hand-written splitter trimmed them too)
        assertEquals(List.of("Brow Furrow", " padded ", "x,y", "say \"hi\""),
                CsvLine.split("Brow Furrow, \" padded \",\"x,y\",\"say \"\"hi\"\"\"", ','));
        assertEquals(List.of("1.5", "", "no"), CsvLine.split("1.5\t\tno", '\t'));
        assertEquals(List.of("1,5", "2"), CsvLine.split("\"1,5\";2", ';'));
        assertEquals(List.of(""), CsvLine.split("", ','));
    }

    @Test
    void brokenQuotingIsReadLeniently() {
        assertEquals(List.of("ab c", "d"), CsvLine.split("\"ab\" c,d", ','), "text after a closing quote is kept");
        assertEquals(List.of("x", "open, to the end"), CsvLine.split("x,\"open, to the end", ','),
                "a quote left open ends with the line");
    }
}
