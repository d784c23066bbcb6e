package dev.emotion.core.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Collects validation problems as "path: message" lines, e.g. {@code frames[3].labels.joy: 1.7 is outside [0, 1]}. */
public final class Violations {

    private final String prefix;
    private final List<String> problems;

    public Violations() {
        this("", new ArrayList<>());
    }

    private Violations(String prefix, List<String> problems) {
        this.prefix = prefix;
        this.problems = problems;
    }

    /** A view whose paths start with {@code path}; problems land in the same list. */
    public Violations at(String path) {
        return new Violations(join(path), problems);
    }

    public void add(String field, String message) {
        problems.add(join(field) + ": " + message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public boolean required(String field, Object value) {
        if (value == null) {
            add(field, "is missing");
            return false;
        }
        return true;
    }

    public boolean notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, value == null ? "is missing" : "is blank");
            return false;
        }
        return true;
    }

    public boolean notEmpty(String field, Collection<?> value) {
        if (value == null || value.isEmpty()) {
            add(field, value == null ? "is missing" : "is empty");
            return false;
        }
        return true;
    }

    public void notEmpty(String field, Map<?, ?> value) {
        if (value == null || value.isEmpty()) {
            add(field, value == null ? "is missing" : "is empty");
        }
    }

    /** A required number in [min, max]; NaN and infinities are rejected. */
    public void range(String field, Number value, double min, double max) {
        if (required(field, value)) {
            rangeIfPresent(field, value, min, max);
        }
    }

    public void rangeIfPresent(String field, Number value, double min, double max) {
        if (value == null) {
            return;
        }
        double d = value.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            add(field, value + " is not a finite number");
        } else if (d < min || d > max) {
            add(field, value + " is outside [" + fmt(min) + ", " + fmt(max) + "]");
        }
    }

    public void nonNegative(String field, Number value) {
        range(field, value, 0, Double.MAX_VALUE);
    }

    private String join(String field) {
        if (prefix.isEmpty() || field.isEmpty()) {
            return prefix.isEmpty() ? field : prefix;
        }
        return field.startsWith("[") ? prefix + field : prefix + "." + field;
    }

    private static String fmt(double d) {
        if (d == Double.MAX_VALUE) {
            return "inf";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
