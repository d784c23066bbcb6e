package dev.emotion.core.evaluation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Short names for models in charts and tables: {@code model-cnn_simple-4c28485e} shows as {@code cnn_simple 4c28}
 * (architecture and the start of the id's random part), longer only where two models would look alike; ids of
 * another form are cut at 28 characters. The full id stays in the report's headings, tooltips and data attributes.
 */
public final class DisplayNames {

    private DisplayNames() {
    }

    /** Every id's short name, unique among {@code ids}, in their order. */
    public static Map<String, String> of(List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, shortName(id, 4));
        }
        for (int suffix : new int[] {8, Integer.MAX_VALUE}) {
            Map<String, Integer> seen = new HashMap<>();
            out.values().forEach(n -> seen.merge(n, 1, Integer::sum));
            if (seen.values().stream().allMatch(c -> c == 1)) {
                return out;
            }
            for (String id : ids) {
                if (seen.get(out.get(id)) > 1) {
                    out.put(id, suffix == Integer.MAX_VALUE ? id : shortName(id, suffix));
                }
            }
        }
        return out;
    }

    static String shortName(String id, int suffix) {
        String s = id.startsWith("model-") ? id.substring("model-".length()) : id;
        int dash = s.lastIndexOf('-');
        if (dash > 0) {
            String tail = s.substring(dash + 1);
            if (tail.length() >= 6 && tail.matches("[0-9a-f]+")) {
                return s.substring(0, dash) + " " + tail.substring(0, Math.min(suffix, tail.length()));
            }
        }
        return s.length() > 28 ? s.substring(0, 27) + "~" : s;
    }
}
