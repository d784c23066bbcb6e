package dev.emotion.core.faces;

/** One tracked face of one frame: its stable id, where it is, and its square JPEG crop. */
public record FaceCrop(int faceId, Detection box, byte[] jpeg) {
}
