package dev.emotion.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record type: a valid record survives a JSON round trip; a missing required field, an out-of-range value
 * and a wrong version are each rejected with a message naming the field.
 */
class ContractsTest {

    /** type, valid sample, a required field to drop (dotted path), an out-of-range path and value. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(FaceBatch.class, Samples.faceBatch("s", "p01"), "participantId",
                        "frames.0.labels.joy", 1.7),
                Arguments.of(IngestProgress.class, Samples.ingestProgress("j1", JobState.RUNNING), "state",
                        "faces", -1),
                Arguments.of(IngestCompleted.class, Samples.ingestCompleted("s", "j1"), "detector",
                        "participants.1.faces", -5),
                Arguments.of(TrainingProgress.class, Samples.trainingProgress("t1", 3), "task",
                        "learningRate", 50.0),
                Arguments.of(ModelTrained.class, Samples.modelTrained("m1", "s"), "artifactUrl",
                        "totalParameters", 0),
                Arguments.of(CrossValidation.class, Samples.crossValidation("s"), "folds",
                        "folds.1.testSamples", 0),
                Arguments.of(CrossValidationProgress.class, Samples.crossValidationProgress("s"), "state",
                        "folds.0.trainSamples", 0),
                Arguments.of(EvaluationReport.class, Samples.evaluationReport("s", "m-cnn"), "models",
                        "models.0.metrics.accuracy", "NaN"),
                Arguments.of(InferenceFrame.class, Samples.inferenceFrame("cam-1"), "streamId",
                        "sequence", -3),
                Arguments.of(InferencePrediction.class, Samples.inferencePrediction("cam-1"), "modelId",
                        "faces.0.probabilities.joy", 1.5),
                Arguments.of(DeadLetter.class, Samples.deadLetter(), "reason", "offset", -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTrip(Class<? extends Contract> type, Contract sample, String required, String rangePath,
                   Object badValue) {
        String json = Contracts.toJson(sample);
        Contract back = Contracts.parse(json, type);
        assertEquals(json, Contracts.toJson(back));
        assertTrue(Contracts.problems(back).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void missingFieldIsNamed(Class<? extends Contract> type, Contract sample, String required, String rangePath,
                             Object badValue) {
        ObjectNode tree = tree(sample);
        tree.remove(required);
        ContractException e = assertThrows(ContractException.class, () -> Contracts.parse(tree.toString(), type));
        assertEquals(type.getSimpleName(), e.recordType());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(required + ": is missing")), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outOfRangeValueIsNamed(Class<? extends Contract> type, Contract sample, String required, String rangePath,
                                Object badValue) {
        ObjectNode tree = tree(sample);
        String[] parts = rangePath.split("\\.");
        JsonNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parts[i].matches("\\d+") ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        if (badValue instanceof Double d) {
            ((ObjectNode) parent).put(leaf, d);
        } else if (badValue instanceof Integer n) {
            ((ObjectNode) parent).put(leaf, n);
        } else {
            ((ObjectNode) parent).put(leaf, badValue.toString());
        }
        String expectedPath = rangePath.replaceAll("\\.(\\d+)", "[$1]");
        ContractException e = assertThrows(ContractException.class, () -> Contracts.parse(tree.toString(), type));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expectedPath + ": ")), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wrongVersionIsRejected(Class<? extends Contract> type, Contract sample, String required, String rangePath,
                                Object badValue) {
        ObjectNode tree = tree(sample);
        tree.put("version", 2);
        ContractException e = assertThrows(ContractException.class, () -> Contracts.parse(tree.toString(), type));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("version: 2 is not supported")), e.getMessage());
        tree.remove("version");
        ContractException missing = assertThrows(ContractException.class,
                () -> Contracts.parse(tree.toString(), type));
        assertTrue(missing.problems().stream().anyMatch(p -> p.startsWith("version: is missing")));
    }

    private static ObjectNode tree(Contract sample) {
        return (ObjectNode) Contracts.mapper().valueToTree(sample);
    }
}
