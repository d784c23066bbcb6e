package dev.emotion.inference.model;

import dev.emotion.core.contract.EvaluationReport;
import dev.emotion.core.view.Recommendations;
import dev.emotion.kit.RecordIntake;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Follows evaluation reports: the newest recommendation is the model inference should serve. */
@ApplicationScoped
public class ReportsConsumer {

    private final RecordIntake intake;
    private final Recommendations recommendations;

    public ReportsConsumer(RecordIntake intake, Recommendations recommendations) {
        this.intake = intake;
        this.recommendations = recommendations;
    }

    @Incoming("evaluation-reports")
    @Blocking
    public void report(ConsumerRecord<String, String> record) {
        intake.accept(record, EvaluationReport.class, recommendations::apply);
    }
}
