package dev.emotion.evaluation.models;

import dev.emotion.core.contract.IngestCompleted;
import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.TrainingProgress;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.TrainingCurves;
import dev.emotion.evaluation.jobs.EvaluationJobs;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Studies, models and training curves folded from their topics. A model announced after this instance started is
 * evaluated at once; older announcements replayed at start only fill the catalog (evaluate them on demand).
 */
@ApplicationScoped
public class EvaluationEventsConsumer {

    private static final Logger LOG = Logger.getLogger(EvaluationEventsConsumer.class);

    private final RecordIntake intake;
    private final ModelCatalog models;
    private final TrainingCurves curves;
    private final StudyCatalog studies;
    private final EvaluationJobs jobs;
    private final dev.emotion.core.view.CrossValidationResults crossValidations;
    private final Instant startedAt = Instant.now();
    private final dev.emotion.core.view.EvaluationBoard board;

    public EvaluationEventsConsumer(RecordIntake intake, ModelCatalog models, TrainingCurves curves,
                                    StudyCatalog studies, EvaluationJobs jobs,
                                    dev.emotion.core.view.CrossValidationResults crossValidations,
                                    dev.emotion.core.view.EvaluationBoard board) {
        this.board = board;
        this.crossValidations = crossValidations;
        this.intake = intake;
        this.models = models;
        this.curves = curves;
        this.studies = studies;
        this.jobs = jobs;
    }

    @Incoming("models-trained")
    @Blocking
    public void modelTrained(ConsumerRecord<String, String> record) {
        intake.accept(record, ModelTrained.class, m -> {
            boolean known = models.model(m.modelId()).isPresent();
            models.apply(m);
            if (!known && m.createdAt().isAfter(startedAt)) {
                try {
                    LOG.infof("model %s announced: evaluation %s queued", m.modelId(),
                            jobs.submitAnnounced(m).evaluationId());
                } catch (RuntimeException e) {
                    LOG.warnf("model %s announced but not evaluated: %s", m.modelId(), e.getMessage());
                }
            }
        });
    }

    @Incoming("training-progress")
    @Blocking
    public void trainingProgress(ConsumerRecord<String, String> record) {
        intake.accept(record, TrainingProgress.class, curves::apply);
    }

    @Incoming("training-crossval")
    @Blocking
    public void crossValidation(ConsumerRecord<String, String> record) {
        intake.accept(record, dev.emotion.core.contract.CrossValidation.class, cv -> {
            crossValidations.apply(cv);
            if (cv.createdAt().isAfter(startedAt)) {
                jobs.rerender(cv.studyId());
            }
        });
    }

    @Incoming("evaluation-progress")
    @Blocking
    public void evaluationProgress(ConsumerRecord<String, String> record) {
        intake.accept(record, dev.emotion.core.contract.EvaluationProgress.class, board::apply);
        board.position().seen(record.partition(), record.offset()); // how far the view has read (workers wait)
    }

    @Incoming("ingest-completed")
    @Blocking
    public void ingestCompleted(ConsumerRecord<String, String> record) {
        intake.accept(record, IngestCompleted.class, studies::apply);
    }
}
