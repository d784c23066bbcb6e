package dev.emotion.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ServiceRightsTest {

    @Test
    void everyTopicHasExactlyOneWriterUnlessClientsWriteIt() {
        for (Topic t : Topic.values()) {
            long writers = Arrays.stream(ServiceRights.values()).filter(s -> s.writes().contains(t)).count();
            assertEquals(ServiceRights.WRITTEN_BY_CLIENTS.contains(t) ? 0 : 1, writers, t.topicName());
        }
    }

    @Test
    void ingestTouchesOnlyIngestTopicsAndNoServiceButTrainingWritesTheRegistry() {
        ServiceRights ingest = ServiceRights.INGEST;
        assertTrue(ingest.writes().stream().allMatch(t -> t.topicName().startsWith("emotion.ingest.")));
        assertTrue(ingest.reads().stream().allMatch(t -> t.topicName().startsWith("emotion.ingest.")));
        assertEquals(ServiceRights.TRAINING, ServiceRights.writerOf(Topic.MODELS_TRAINED).orElseThrow());
    }

    @Test
    void everyWorkerReadsItsOwnRequestsAndEveryReadTopicHasAWriter() {
        assertTrue(ServiceRights.INGEST.reads().contains(Topic.INGEST_REQUESTS));
        assertTrue(ServiceRights.TRAINING.reads().contains(Topic.TRAINING_REQUESTS));
        assertTrue(ServiceRights.EVALUATION.reads().contains(Topic.EVALUATION_REQUESTS));
        for (ServiceRights s : ServiceRights.values()) {
            for (Topic t : s.reads()) {
                assertTrue(ServiceRights.writerOf(t).isPresent() || ServiceRights.WRITTEN_BY_CLIENTS.contains(t),
                        s.service() + " reads " + t.topicName() + ", which nobody writes");
            }
            assertEquals(s.reads().size(), s.deadLetterTopics().size());
            assertEquals("emotion-" + s.service(), s.principal());
        }
    }
}
