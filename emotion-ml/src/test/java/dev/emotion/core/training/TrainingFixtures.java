package dev.emotion.core.training;

import dev.emotion.core.store.SampleStore;

import dev.emotion.core.contract.Split;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.faces.FacePipeline;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.contract.ParticipantSplits;
import dev.emotion.core.ingest.VideoIngest;
import dev.emotion.core.synth.SyntheticStudy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real little dataset: a generated study, ingested in-process into a sample store. */
public final class TrainingFixtures {

    private TrainingFixtures() {
    }

    public static SampleStore study(Path dir, int participants, double seconds, double fps) throws IOException {
        SyntheticStudy.Spec spec = new SyntheticStudy.Spec("fixture", participants, seconds, 320, 240, 30, 21);
        List<SyntheticStudy.Participant> ps = SyntheticStudy.generate(spec, dir.resolve("videos"), n -> { });
        Map<String, Split> splits = ParticipantSplits.assign(ps.stream().map(SyntheticStudy.Participant::participantId)
                .toList(), 42, 3, 1, 1);
        SampleStore store = new SampleStore(dir.resolve("store"));
        IngestOptions options = new IngestOptions(new FacePipeline.Options(fps, 112, 1.4, 90),
                IngestOptions.DEFAULT.alignment(), IngestOptions.DEFAULT.toleranceMs(), IngestOptions.DEFAULT.policy(),
                IngestOptions.DEFAULT.maxFramesPerBatch(), IngestOptions.DEFAULT.maxBatchBytes());
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 20)) {
            for (SyntheticStudy.Participant p : ps) {
                new VideoIngest(detector, options).run("fixture", p.participantId(), "job-1",
                        splits.get(p.participantId()), p.video(), p.labels(), store::write, x -> { });
            }
        }
        return store;
    }

    /** A model directory (model.json + model.params) with freshly initialised parameters, under {@code root}. */
    public static Path modelDir(Path root, dev.emotion.core.contract.Architecture a,
                                dev.emotion.core.contract.Task t) throws IOException {
        Path d = root.resolve(a.id() + "-" + t.id());
        java.nio.file.Files.createDirectories(d);
        try (ai.djl.ndarray.NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
            dev.emotion.core.models.EmotionNet net = dev.emotion.core.models.EmotionNet.build(a, t);
            net.initialize(m, 1);
            try (java.io.DataOutputStream os = new java.io.DataOutputStream(java.nio.file.Files.newOutputStream(
                    d.resolve("model.params")))) {
                net.saveParameters(os);
            }
        }
        java.util.Map<String, Object> description = dev.emotion.core.training.TrainedModel.description(
                a.id() + "-" + t.id(), dev.emotion.core.models.ModelSpec.of(a), t);
        description.put("config", java.util.Map.of("studyId", "fixture"));
        java.nio.file.Files.write(d.resolve("model.json"), dev.emotion.core.contract.Contracts.mapper()
                .writeValueAsBytes(description));
        return d;
    }
}
