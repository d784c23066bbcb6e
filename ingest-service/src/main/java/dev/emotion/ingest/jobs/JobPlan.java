package dev.emotion.ingest.jobs;

import dev.emotion.core.contract.Split;
import java.nio.file.Path;
import java.util.List;

/** A checked, ready-to-run ingest job: every file exists and every label file parses. */
record JobPlan(String jobId, String studyId, List<Item> participants, double maxFps) {

    record Item(String participantId, Path video, Path labels, Split split) {
    }
}
