package dev.emotion.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.core.contract.Contracts;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Figures quoted in the README and docs against the result files that measured them. A block (a paragraph or a
 * table: the lines up to the next blank line) that follows {@code <!-- results: a.json, b.json -->} may quote only
 * figures found in those files of docs/results/: every number written with three decimals (0.431) must be one of
 * the files' numbers rounded to three decimals (per-fold values, under "folds", do not count: a mistyped summary
 * would too often match some fold). Retyping a figure wrong, or rerunning without updating the text, fails.
 */
class QuotedResultsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern MARKER = Pattern.compile("<!--\\s*results:\\s*([^>]+?)\\s*-->");
    static final Pattern FIGURE = Pattern.compile("(?<![\\d.])-?\\d\\.\\d{3}(?![\\d])");

    record Quote(String where, String figure) {
    }

    @Test
    void everyFigureInAMarkedBlockIsInItsResultFiles() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        int blocks = 0;
        int figures = 0;
        List<Quote> wrong = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MARKER.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                List<JsonNode> files = new ArrayList<>();
                for (String name : m.group(1).split(",")) {
                    Path file = ROOT.resolve("docs/results").resolve(name.trim());
                    assertTrue(Files.isRegularFile(file), ROOT.relativize(page) + ":" + (i + 1) + " names " + name
                            + ", which is not in docs/results");
                    JsonNode json = Contracts.mapper().readTree(file.toFile());
                    assertTrue(json.hasNonNull("command") && json.hasNonNull("commit") && json.hasNonNull("date")
                            && json.hasNonNull("machine"), file + " says which command wrote it, on which commit, "
                            + "when and where");
                    files.add(json);
                }
                List<String> block = new ArrayList<>();
                for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                    block.add(lines.get(j));
                }
                assertTrue(!block.isEmpty(), ROOT.relativize(page) + ":" + (i + 1) + ": a marker with no block after");
                blocks++;
                List<Quote> found = check(ROOT.relativize(page) + ":" + (i + 2), block, files);
                wrong.addAll(found);
                figures += (int) block.stream().mapToLong(l -> FIGURE.matcher(l).results().count()).sum();
            }
        }
        assertEquals(List.of(), wrong, "figures quoted that their result files do not hold");
        assertTrue(blocks >= 4 && figures >= 40, "the real-face and transfer figures are checked: " + blocks
                + " blocks, " + figures + " figures");
    }

    @Test
    void aMistypedFigureIsCaught() {
        com.fasterxml.jackson.databind.node.ObjectNode file = Contracts.mapper().createObjectNode()
                .put("macro_f1", 0.43144786577620486).put("sd", 0.09170055657054102);
        file.putArray("folds").addObject().put("macro_f1", 0.4131);
        assertEquals(List.of(), check("x", List.of("| baseline | 0.431 +- 0.092 |"), List.of(file)));
        assertEquals(List.of(new Quote("x", "0.413")), check("x", List.of("| baseline | 0.413 +- 0.092 |"),
                List.of(file)));
    }

    /** The figures of {@code block} that no number of {@code files} rounds to. */
    static List<Quote> check(String where, List<String> block, List<JsonNode> files) {
        List<BigDecimal> known = new ArrayList<>();
        files.forEach(f -> numbers(f, known));
        List<Quote> wrong = new ArrayList<>();
        for (String line : block) {
            Matcher m = FIGURE.matcher(line);
            while (m.find()) {
                BigDecimal quoted = new BigDecimal(m.group());
                if (known.stream().noneMatch(k -> k.setScale(3, RoundingMode.HALF_UP).compareTo(quoted) == 0
                        || k.setScale(3, RoundingMode.HALF_EVEN).compareTo(quoted) == 0)) {
                    wrong.add(new Quote(where, m.group()));
                }
            }
        }
        return wrong;
    }

    /** Every number of the file except per-fold values (under "folds"): the docs quote summaries, not folds. */
    private static void numbers(JsonNode node, List<BigDecimal> out) {
        if (node.isNumber()) {
            out.add(node.decimalValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("folds")) {
                    numbers(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> numbers(child, out));
        }
    }
}
