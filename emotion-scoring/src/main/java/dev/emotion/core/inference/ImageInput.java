package dev.emotion.core.inference;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import dev.emotion.core.contract.ImageBytes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Checks an uploaded image before any decoder sees it: not empty, JPEG or PNG by its magic bytes, not truncated
 * (a JPEG ends with its EOI marker), dimensions read from the header within the pixel cap (a small file can declare
 * a huge image), then decodes to BGR.
 */
public final class ImageInput {

    /** Why an image was refused; {@code tooLarge} maps to HTTP 413, the rest to 400/415. */
    public static final class BadImage extends RuntimeException {
        private final boolean tooLarge;
        private final boolean unsupported;

        BadImage(String message, boolean tooLarge, boolean unsupported) {
            super(message);
            this.tooLarge = tooLarge;
            this.unsupported = unsupported;
        }

        public boolean tooLarge() {
            return tooLarge;
        }

        public boolean unsupported() {
            return unsupported;
        }
    }

    private ImageInput() {
    }

    /** Decoded BGR image; the caller closes it. */
    public static Mat decode(byte[] bytes, long maxPixels, int maxBytes) {
        if (bytes == null || bytes.length == 0) {
            throw new BadImage("the image is empty (zero bytes)", false, false);
        }
        if (bytes.length > maxBytes) {
            throw new BadImage("the image has " + bytes.length + " bytes, over the " + maxBytes + " byte limit", true,
                    false);
        }
        boolean jpeg = ImageBytes.isJpeg(bytes);
        if (!jpeg && !ImageBytes.isPng(bytes)) {
            throw new BadImage("not a JPEG or PNG image (starts with " + ImageBytes.head(bytes) + ")", false, true);
        }
        long[] wh = jpeg ? jpegSize(bytes) : pngSize(bytes);
        if (wh == null) {
            throw new BadImage("the " + (jpeg ? "JPEG" : "PNG") + " header is damaged or truncated", false, false);
        }
        if (wh[0] * wh[1] > maxPixels) {
            throw new BadImage("the image is " + wh[0] + "x" + wh[1] + " pixels, over the limit of " + maxPixels
                    + " pixels; downscale it", true, false);
        }
        PngChunks png = jpeg ? null : pngChunks(bytes);
        String chunks = png == null ? null : png.problem();
        if (chunks != null) {
            // OpenCV's PNG reader allocates what a chunk claims: 300 bytes claiming a 4 GB chunk took 4 GB and 22 s
            throw new BadImage("the PNG is damaged: " + chunks, false, false);
        }
        if (jpeg && !endsWithEoi(bytes)) {
            throw new BadImage("the JPEG is truncated (no end-of-image marker after " + bytes.length + " bytes)",
                    false, false);
        }
        // OpenCV sees the PNG up to its IEND only: bytes after it (some writers append data) are never parsed,
        // so a "chunk" there cannot make it allocate what it claims
        int length = jpeg ? bytes.length : png.end();
        Mat img;
        try (BytePointer p = new BytePointer(bytes); Mat buf = new Mat(1, length, org.bytedeco.opencv.global
                .opencv_core.CV_8UC1, p)) {
            img = imdecode(buf, IMREAD_COLOR);
        }
        if (img == null || img.empty()) {
            if (img != null) {
                img.close(); // an empty Mat still holds a native header: freed now, not when the GC gets to it
            }
            throw new BadImage("the image could not be decoded (corrupt data)", false, false);
        }
        return img;
    }

    static boolean endsWithEoi(byte[] b) {
        // Some encoders pad after EOI: look at the last few bytes.
        for (int i = b.length - 2; i >= Math.max(0, b.length - 16); i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the PNG's chunk structure does not hold (null when it does): IHDR first, and every chunk's length within
     * the bytes that follow it, up to IEND.
     */
    /** A PNG's chunk walk: what is wrong with it (null when nothing), else the offset just past its IEND. */
    record PngChunks(String problem, int end) {
        static PngChunks bad(String problem) {
            return new PngChunks(problem, -1);
        }
    }

    static PngChunks pngChunks(byte[] b) {
        int at = 8;
        boolean first = true;
        while (at + 8 <= b.length) {
            long len = ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8)
                    | (b[at + 3] & 0xFFL);
            String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return PngChunks.bad("byte " + at + " does not start a chunk (type " + ImageBytes.head(
                        java.util.Arrays.copyOfRange(b, at + 4, at + 8)) + ")");
            }
            if (first && !type.equals("IHDR")) {
                return PngChunks.bad("the first chunk is " + type + ", not IHDR");
            }
            first = false;
            long left = b.length - (at + 12L);
            if (len > left) {
                return PngChunks.bad("chunk " + type + " at byte " + at + " claims " + len + " bytes, more than the "
                        + Math.max(0, left) + " left in the file");
            }
            if (type.equals("IEND")) {
                // IEND carries no data; OpenCV's reader does not stop at one that claims some, and reads on
                return len == 0 ? new PngChunks(null, at + 12)
                        : PngChunks.bad("the IEND chunk at byte " + at + " claims " + len + " bytes (it has none)");
            }
            at += (int) (12 + len);
        }
        return PngChunks.bad("no IEND chunk: the file is truncated after " + b.length + " bytes");
    }

    static long[] pngSize(byte[] b) {
        if (b.length < 24) {
            return null;
        }
        long w = ((b[16] & 0xFFL) << 24) | ((b[17] & 0xFFL) << 16) | ((b[18] & 0xFFL) << 8) | (b[19] & 0xFFL);
        long h = ((b[20] & 0xFFL) << 24) | ((b[21] & 0xFFL) << 16) | ((b[22] & 0xFFL) << 8) | (b[23] & 0xFFL);
        return w > 0 && h > 0 ? new long[] {w, h} : null;
    }

    /** Width and height from the first SOF marker, walking the marker segments. */
    static long[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int len = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                long h = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                long w = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return w > 0 && h > 0 ? new long[] {w, h} : null;
            }
            if (len < 2) {
                return null;
            }
            i += 2 + len;
        }
        return null;
    }
}
