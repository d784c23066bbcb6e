package dev.emotion.core.contract;

import java.util.List;

/** A record that cannot be read or is invalid; the message names the record type and every offending field. */
public class ContractException extends RuntimeException {

    private final String recordType;
    private final List<String> problems;

    public ContractException(String recordType, List<String> problems) {
        super(recordType + " is invalid: " + String.join("; ", problems));
        this.recordType = recordType;
        this.problems = List.copyOf(problems);
    }

    public String recordType() {
        return recordType;
    }

    public List<String> problems() {
        return problems;
    }
}
