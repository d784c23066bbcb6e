package dev.emotion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code dev.emotion.core} packages of the library modules (emotion-contract, -synth, -vision, -ml, -report,
 * -scoring) form layers with no cycle: a package may use only packages below it. Maven checks the modules' edges; this
 * test checks the packages inside a module too. Read from the sources of every module: each
 * {@code dev.emotion.core.<package>.<Type>} a file names, in imports or in code.
 */
class PackageDependenciesTest {

    static final Path PROJECT = Path.of("..");
    static final Path SOURCES = Path.of("src", "main", "java", "dev", "emotion", "core");
    static final Pattern USE = Pattern.compile("dev\\.emotion\\.core\\.([a-z]+)\\.[A-Z]");
    static final String ROOT = "(root)";

    static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        List<Path> roots;
        try (Stream<Path> modules = Files.list(PROJECT)) {
            roots = modules.filter(m -> m.getFileName().toString().startsWith("emotion-"))
                    .map(m -> m.resolve(SOURCES)).filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(roots.size() >= 6, "the library modules' sources, found " + roots);
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Path rel = root.relativize(f);
                    String pkg = rel.getNameCount() == 1 ? ROOT : rel.getName(0).toString();
                    Set<String> used = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher m = USE.matcher(Files.readString(f));
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            used.add(m.group(1));
                        }
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.size() >= 10, deps.toString());
        for (String start : deps.keySet()) {
            List<String> cycle = cycleFrom(start, start, deps, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertEquals(List.of(), cycle, "package cycle " + String.join(" -> ", cycle) + " in " + deps);
        }
    }

    @Test
    void theLowerLayersStayPure() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertEquals(Set.of(), deps.get(ROOT), "the root package uses no subpackage");
        assertEquals(Set.of(), deps.get("contract"), "contracts use nothing else of the project");
        assertEquals(Set.of("contract"), deps.get("metrics"), "metrics are pure (contracts only)");
        assertEquals(Set.of("contract"), deps.get("view"), "the Kafka views need only the contracts");
        assertEquals(Set.of("contract"), deps.get("labels"));
        assertTrue(Set.of("contract", ROOT).containsAll(deps.get("store")), deps.get("store").toString());
        assertEquals(Set.of("contract"), deps.get("synth"), "the renderer needs only the contracts (no decoder, no model)");
        // the model zoo knows neither training nor faces nor video; training knows neither faces nor video
        assertTrue(Set.of("contract", ROOT).containsAll(deps.get("models")), deps.get("models").toString());
        assertTrue(deps.get("training").stream().noneMatch(Set.of("faces", "video", "ingest", "evaluation")::contains),
                deps.get("training").toString());
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> deps, List<String> path,
                                          Set<String> seen) {
        for (String next : deps.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, deps, path, seen);
                if (!found.isEmpty()) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return List.of();
    }
}
