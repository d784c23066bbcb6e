package dev.emotion.core.faces;

import java.util.List;

/** The faces of one sampled frame ({@code index} is the frame's number in the stream, from 0). */
public record FrameFaces(int index, long timestampMs, List<FaceCrop> faces) {
}
