package dev.emotion.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContractEdgeCasesTest {

    @Test
    void garbageAndEmptyPayloadsSayWhatIsWrong() {
        ContractException garbage = assertThrows(ContractException.class,
                () -> Contracts.parse("{\"version\":1,\"studyId\":", FaceBatch.class));
        assertTrue(garbage.getMessage().contains("not valid JSON at line 1"), garbage.getMessage());
        ContractException empty = assertThrows(ContractException.class, () -> Contracts.parse("", FaceBatch.class));
        assertTrue(empty.getMessage().contains("record is empty"));
        ContractException nul = assertThrows(ContractException.class, () -> Contracts.parse("null", FaceBatch.class));
        assertTrue(nul.getMessage().contains("JSON null"));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        String json = Contracts.toJson(Samples.modelTrained("m1", "s")).replace("\"vit_scratch\"", "\"vgg16\"");
        ContractException e = assertThrows(ContractException.class, () -> Contracts.parse(json, ModelTrained.class));
        assertEquals(List.of("architecture: 'vgg16' is not a valid Architecture (allowed: cnn_simple, vit_scratch, "
                + "resnet_pretrained, vit_pretrained, face_expression_baseline)"), e.problems());
    }

    @Test
    void unknownFieldsFromNewerProducersAreIgnored() {
        String json = Contracts.toJson(Samples.inferenceFrame("cam")).replace("{", "{\"addedLater\":true,");
        assertEquals("cam", Contracts.parse(json, InferenceFrame.class).streamId());
    }

    @Test
    void cropMustBeJpegAndBatchesStayBelowTheRecordLimit() {
        FaceBatch ok = Samples.faceBatch("s", "p");
        FaceFrame png = new FaceFrame(0, 0L, 0, new Box(0, 0, 8, 8), null, new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                null, null);
        FaceBatch bad = new FaceBatch(1, "s", "p", "v", "j", 0, Split.VAL, List.of(png));
        assertEquals(List.of("frames[0].crop: is not a JPEG image (starts with 0x89504e47)"), Contracts.problems(bad));

        byte[] big = new byte[200 * 1024];
        System.arraycopy(Samples.JPEG, 0, big, 0, 3);
        List<FaceFrame> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(new FaceFrame(i, i * 33L, 0, new Box(0, 0, 8, 8), null, big, null, null));
        }
        FaceBatch huge = new FaceBatch(1, "s", "p", "v", "j", 0, Split.TRAIN, frames);
        assertTrue(Contracts.problems(huge).get(0).startsWith("frames: crops total 819200 bytes"));
        assertTrue(Contracts.problems(ok).isEmpty());
    }

    @Test
    void labelsAndDominantGoTogether() {
        FaceFrame orphan = new FaceFrame(0, 0L, 0, new Box(0, 0, 8, 8), null, Samples.JPEG, null, "joy");
        FaceFrame unknown = new FaceFrame(0, 0L, 0, new Box(0, 0, 8, 8), null, Samples.JPEG, Samples.labels(),
                "bored");
        FaceBatch batch = new FaceBatch(1, "s", "p", "v", "j", 0, Split.TRAIN, List.of(orphan, unknown));
        assertEquals(List.of(
                "frames[0].dominant: is set but labels are missing (an unlabelled frame has neither)",
                "frames[1].dominant: 'bored' is not one of " + Emotion.DOMINANT_LABELS), Contracts.problems(batch));
    }

    @Test
    void recommendationMustNameAnEvaluatedModel() {
        assertEquals(List.of("recommendedModelId: 'm-other' is not among the evaluated models"),
                Contracts.problems(Samples.evaluationReport("s", "m-other")));
    }

    @Test
    void failuresMustSayWhy() {
        IngestProgress failed = new IngestProgress(1, "j", "s", null, JobState.FAILED, 0L, 0L, 0L, 0L, null,
                Samples.AT);
        assertEquals(List.of("message: is missing"), Contracts.problems(failed));
    }

    @Test
    void writingRefusesInvalidRecords() {
        IngestProgress invalid = new IngestProgress(1, "", "s", null, JobState.RUNNING, 0L, 5L, 9L, 0L, null,
                Samples.AT);
        ContractException e = assertThrows(ContractException.class, () -> Contracts.toJson(invalid));
        assertEquals(List.of("jobId: is blank", "labelled: 9 is more than faces (5)"), e.problems());
    }

    @Test
    void everyTopicHasADeadLetterTopicAndARecordType() {
        for (Topic t : Topic.values()) {
            assertEquals(t.topicName() + ".dlq", t.deadLetterTopic());
            assertEquals(t, Topic.byName(t.topicName()).orElseThrow());
        }
        assertEquals(FaceBatch.class, Topic.INGEST_FRAMES.recordType());
        assertTrue(Topic.INGEST_FRAMES.keptForever());
    }
}
