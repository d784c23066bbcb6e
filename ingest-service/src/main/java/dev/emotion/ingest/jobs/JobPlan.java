package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Split;
import java.nio.file.Path;
import java.util.List;

/**
 * A checked, ready-to-run ingest job: every file exists and every label file parses. A study of stills and clips has
 * no items but {@code stills}: the folder, its checked labels CSV and how to read it.
 */
record JobPlan(String jobId, String studyId, List<Item> participants, double maxFps, Stills stills) {

    JobPlan(String jobId, String studyId, List<Item> participants, double maxFps) {
        this(jobId, studyId, participants, maxFps, null);
    }

    record Item(String participantId, Path video, Path labels, Split split) {
    }

    /**
     * @param split   every file to this split, or null (the CSV's split column, else 3:1:1 by participant)
     * @param aligned take each still as the face (no detection)
     */
    record Stills(Path dir, Path labels, Split split, long seed, boolean aligned) {
    }

    /** As a {@code JobRequest}'s request: absolute paths (inside the data directory the workers share). */
    static java.util.Map<String, Object> toMap(JobPlan plan) {
        List<java.util.Map<String, Object>> items = new java.util.ArrayList<>();
        for (Item i : plan.participants()) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("participantId", i.participantId());
            m.put("video", i.video().toAbsolutePath().toString());
            m.put("labels", i.labels() == null ? null : i.labels().toAbsolutePath().toString());
            m.put("split", i.split().label());
            items.add(m);
        }
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("jobId", plan.jobId());
        m.put("studyId", plan.studyId());
        m.put("maxFps", plan.maxFps());
        m.put("participants", items);
        if (plan.stills() != null) {
            java.util.Map<String, Object> st = new java.util.LinkedHashMap<>();
            st.put("dir", plan.stills().dir().toAbsolutePath().toString());
            st.put("labels", plan.stills().labels().toAbsolutePath().toString());
            st.put("split", plan.stills().split() == null ? null : plan.stills().split().label());
            st.put("seed", plan.stills().seed());
            st.put("aligned", plan.stills().aligned());
            m.put("stills", st);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static JobPlan fromMap(java.util.Map<String, Object> m) {
        List<Item> items = new java.util.ArrayList<>();
        for (java.util.Map<String, Object> i : (List<java.util.Map<String, Object>>) m.get("participants")) {
            items.add(new Item((String) i.get("participantId"), Path.of((String) i.get("video")),
                    i.get("labels") == null ? null : Path.of((String) i.get("labels")),
                    Split.valueOf(((String) i.get("split")).toUpperCase(java.util.Locale.ROOT))));
        }
        Stills stills = null;
        if (m.get("stills") instanceof java.util.Map<?, ?> st) {
            stills = new Stills(Path.of((String) st.get("dir")), Path.of((String) st.get("labels")),
                    st.get("split") == null ? null : Split.valueOf(((String) st.get("split"))
                            .toUpperCase(java.util.Locale.ROOT)), ((Number) st.get("seed")).longValue(),
                    Boolean.TRUE.equals(st.get("aligned")));
        }
        return new JobPlan((String) m.get("jobId"), (String) m.get("studyId"), List.copyOf(items),
                ((Number) m.get("maxFps")).doubleValue(), stills);
    }
}
