package dev.emotion.core.realfaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Architecture;
import dev.emotion.core.contract.Split;
import dev.emotion.core.contract.Task;
import dev.emotion.core.faces.FaceDetector;
import dev.emotion.core.faces.FaceDetectors;
import dev.emotion.core.ingest.IngestOptions;
import dev.emotion.core.ingest.StillsIngest;
import dev.emotion.core.labels.StillsIndex;
import dev.emotion.core.models.Backbone;
import dev.emotion.core.store.Sample;
import dev.emotion.core.store.SampleStore;
import dev.emotion.core.training.Trainer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped real faces (datasets/real-faces: 569 photos of 429 people) imported through the stills ingest, a model
 * trained a few epochs on the training people with the checkpoint chosen on the validation people, and judged on the
 * test people, whom neither saw: macro-F1 over the classes present there must be at least twice chance.
 */
class RealFacesTrainingTest {

    @TempDir
    Path dir;

    @Test
    void aModelTrainedOnRealFacesBeatsChanceTwiceOverOnPeopleItNeverSaw() {
        Path real = Path.of("..", "datasets", "real-faces");
        StillsIndex index = StillsIndex.read(real.resolve("labels.csv"), real, null, 42);
        SampleStore store = new SampleStore(dir.resolve("store"));
        try (FaceDetector detector = FaceDetectors.open(FaceDetectors.defaultModelPath(), 0.5f, 10)) {
            new StillsIngest(detector, IngestOptions.DEFAULT, false).run("real", "job", real, index, store::write,
                    p -> { });
        }
        List<Sample> train = store.samples("real", Split.TRAIN, null);
        List<Sample> val = store.samples("real", Split.VAL, null);
        List<Sample> test = store.samples("real", Split.TEST, null);
        Set<String> seen = new HashSet<>();
        train.forEach(s -> seen.add(s.participantId()));
        val.forEach(s -> seen.add(s.participantId()));
        assertTrue(test.stream().noneMatch(s -> seen.contains(s.participantId())), "test people are unseen");

        Trainer.Config c = Trainer.Config.defaults(Architecture.RESNET_PRETRAINED, Task.EMOTION_CLASS)
                .withBackbone(Backbone.FACE_EXPRESSION, null, null).withEpochs(6).withParticipantBaseline(false);
        Trainer.Result r = new Trainer().train(c, train, val, dir.resolve("run"), false, e -> { });
        Trainer.Evaluation onTest = new Trainer().evaluateCheckpoint(c.spec(), c.task(), r.bestCheckpoint(), test,
                c.batchSize(), false);
        long classes = Trainer.usable(test, Task.EMOTION_CLASS).stream().mapToInt(Sample::dominant).distinct().count();
        double chance = 1.0 / classes;
        double f1 = onTest.metrics().get("macro_f1");
        System.out.printf("real faces: %d train, %d val, %d test images; test macro-F1 %.3f, balanced accuracy %.3f "
                + "(chance %.3f over %d classes)%n", train.size(), val.size(), test.size(), f1,
                onTest.metrics().get("balanced_accuracy"), chance, classes);
        assertEquals(8, classes, "every class has test people");
        assertTrue(f1 >= 2 * chance, "macro-F1 " + f1 + " on unseen people vs twice chance " + 2 * chance);
    }
}
