package dev.emotion.core.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.JobState;
import dev.emotion.core.contract.Samples;
import dev.emotion.core.contract.Split;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {

    @Test
    void studyCatalogIgnoresRedeliveredManifestsAndSumsSplits() {
        StudyCatalog catalog = new StudyCatalog();
        IngestCompleted m = Samples.ingestCompleted("s1", "job-a");
        catalog.apply(m);
        catalog.apply(m);
        var study = catalog.study("s1").orElseThrow();
        assertEquals(List.of("job-a"), study.jobIds());
        assertEquals(Map.of(Split.TRAIN, 1790L, Split.TEST, 1800L), study.facesPerSplit());
        assertEquals(900L, study.labelCounts().get("joy"));
        assertEquals(Map.of("p01", 0, "p02", 1), study.lopoFolds());
        assertTrue(catalog.study("other").isEmpty());
    }

    @Test
    void aFinishedJobStaysFinishedWhenAnOldEventIsRedelivered() {
        JobBoard board = new JobBoard();
        board.apply(Samples.ingestProgress("j1", JobState.RUNNING));
        board.apply(Samples.ingestProgress("j1", JobState.FAILED));
        board.apply(Samples.ingestProgress("j1", JobState.RUNNING));
        assertEquals(JobState.FAILED, board.job("j1").orElseThrow().state());
    }

    @Test
    void trainingCurveIsInEpochOrderWithoutDuplicates() {
        TrainingCurves curves = new TrainingCurves();
        curves.apply(Samples.trainingProgress("t1", 2));
        curves.apply(Samples.trainingProgress("t1", 1));
        curves.apply(Samples.trainingProgress("t1", 2));
        assertEquals(List.of(1, 2), curves.curve("t1").stream().map(p -> p.epoch()).toList());
        assertEquals(2, curves.latest("t1").orElseThrow().epoch());
    }

    @Test
    void modelCatalogFiltersByStudy() {
        ModelCatalog catalog = new ModelCatalog();
        catalog.apply(Samples.modelTrained("m1", "s1"));
        catalog.apply(Samples.modelTrained("m2", "s2"));
        assertEquals(List.of("m1"), catalog.models("s1").stream().map(m -> m.modelId()).toList());
        assertEquals(2, catalog.models(null).size());
    }

    @Test
    void newestRecommendationWinsAndOlderReportsDoNotOverwriteNewer() {
        Recommendations recs = new Recommendations();
        var newer = Samples.evaluationReport("s1", "m-vit");
        var older = new dev.emotion.core.contract.EvaluationReport(1, "s1", "e0", newer.models(), newer.reportUrl(),
                "m-cnn", "older", Samples.AT.minusSeconds(60));
        recs.apply(newer);
        recs.apply(older);
        assertEquals("m-vit", recs.forStudy("s1").orElseThrow().recommendedModelId());
        var other = new dev.emotion.core.contract.EvaluationReport(1, "s2", "e2", newer.models(), newer.reportUrl(),
                "m-cnn", "newest", Samples.AT.plusSeconds(60));
        recs.apply(other);
        assertEquals("s2", recs.latest().orElseThrow().studyId());
        assertEquals("m-vit", recs.followed("s1").orElseThrow().recommendedModelId(),
                "a deployment that follows s1 ignores s2's newer recommendation");
        assertEquals("s2", recs.followed(null).orElseThrow().studyId(), "one that follows none takes the newest");
        var refusal = new dev.emotion.core.contract.EvaluationReport(1, "s1", "e3", newer.models(), newer.reportUrl(),
                null, "no model recommended: below the baseline", Samples.AT.plusSeconds(120));
        recs.apply(refusal);
        assertEquals(null, recs.followed("s1").orElseThrow().recommendedModelId(), "s1 now recommends nothing");
        assertEquals("s2", recs.latest().orElseThrow().studyId(), "a refusal never becomes the newest recommendation");
    }
}
