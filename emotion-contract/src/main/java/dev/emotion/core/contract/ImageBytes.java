package dev.emotion.core.contract;

/** Recognises image payloads by their magic bytes. */
public final class ImageBytes {

    private ImageBytes() {
    }

    public static boolean isJpeg(byte[] b) {
        return b != null && b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    public static boolean isPng(byte[] b) {
        return b != null && b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    /** The first bytes in hex, for error messages. */
    public static String head(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.length() == 0 ? "nothing" : "0x" + sb;
    }
}
