package dev.emotion.core.models.weights;

/** Weights that cannot be loaded into a backbone; the message names every offending tensor and what to do. */
public class WeightImportException extends RuntimeException {

    public WeightImportException(String message) {
        super(message);
    }

    public WeightImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
