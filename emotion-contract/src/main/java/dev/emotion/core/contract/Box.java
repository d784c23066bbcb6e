package dev.emotion.core.contract;

/** A face box in pixels of the source frame. */
public record Box(Integer x, Integer y, Integer width, Integer height) {

    void validate(Violations v) {
        v.nonNegative("x", x);
        v.nonNegative("y", y);
        v.range("width", width, 1, Integer.MAX_VALUE);
        v.range("height", height, 1, Integer.MAX_VALUE);
    }
}
