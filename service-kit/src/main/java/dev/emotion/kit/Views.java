package dev.emotion.kit;

import dev.emotion.core.view.JobBoard;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.core.view.Recommendations;
import dev.emotion.core.view.StudyCatalog;
import dev.emotion.core.view.TrainingCurves;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The in-memory views services answer from, one instance per service, rebuilt from Kafka at every start by the
 * service's consumers. A service that injects none of them gets none (unused beans are removed).
 */
public class Views {

    @Produces
    @Singleton
    JobBoard jobBoard() {
        return new JobBoard();
    }

    @Produces
    @Singleton
    dev.emotion.core.view.EvaluationBoard evaluationBoard() {
        return new dev.emotion.core.view.EvaluationBoard();
    }

    @Produces
    @Singleton
    dev.emotion.core.view.CrossValidationBoard crossValidationBoard() {
        return new dev.emotion.core.view.CrossValidationBoard();
    }

    @Produces
    @Singleton
    StudyCatalog studyCatalog() {
        return new StudyCatalog();
    }

    @Produces
    @Singleton
    ModelCatalog modelCatalog() {
        return new ModelCatalog();
    }

    @Produces
    @Singleton
    TrainingCurves trainingCurves() {
        return new TrainingCurves();
    }

    @Produces
    @Singleton
    dev.emotion.core.view.CrossValidationResults crossValidationResults() {
        return new dev.emotion.core.view.CrossValidationResults();
    }

    @Produces
    @Singleton
    Recommendations recommendations() {
        return new Recommendations();
    }
}
