package dev.emotion.kit;

/** The JSON body of every 4xx/5xx answer: what went wrong and what to do about it. */
public record ApiError(String error, String detail) {
}
