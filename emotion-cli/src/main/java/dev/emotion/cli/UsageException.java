package dev.emotion.cli;

/** Wrong command-line use; printed without a stack trace, exit code 2. */
class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
