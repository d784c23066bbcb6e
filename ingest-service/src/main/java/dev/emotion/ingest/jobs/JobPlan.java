package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Split;
import java.nio.file.Path;
import java.util.List;

/** A checked, ready-to-run ingest job: every file exists and every label file parses. */
record JobPlan(String jobId, String studyId, List<Item> participants, double maxFps) {

    record Item(String participantId, Path video, Path labels, Split split) {
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
        return new JobPlan((String) m.get("jobId"), (String) m.get("studyId"), List.copyOf(items),
                ((Number) m.get("maxFps")).doubleValue());
    }
}
