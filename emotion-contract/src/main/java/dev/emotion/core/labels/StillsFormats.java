package dev.emotion.core.labels;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Readers for the layouts in which labelled face sets are downloaded, each turning a user's copy into
 * {@link StillsIndex} rows and the bytes of each file. The project ships none of these sets: most may not be
 * redistributed (docs/real-faces.md gives each one's terms and layout).
 * <ul>
 * <li>{@code csv}: a folder of images and clips + a CSV {@code file,label[,subject,split,source,expressions]};</li>
 * <li>{@code folders}: {@code DIR/<label>/*.jpg} (any spelling {@link StillsIndex#normalise} accepts);</li>
 * <li>{@code fer2013}: {@code fer2013.csv} ({@code emotion,pixels,Usage}; 48x48 grey; Usage gives the split);</li>
 * <li>{@code ckplus}: {@code cohn-kanade-images/S*}/NNN/*.png + {@code Emotion/S*}/NNN/*_emotion.txt: the last
 * frame of each labelled sequence with its emotion, the first frame neutral, the subject from the folder;</li>
 * <li>{@code rafdb}: RAF-DB basic, {@code EmoLabel/list_patition_label.txt} + {@code Image/aligned} (or
 * {@code Image/original}); the file name gives the split;</li>
 * <li>{@code affectnet}: {@code Manually_Annotated_file_lists/{training,validation}.csv} +
 * {@code Manually_Annotated_Images/}, or the {@code {train,val}_set/images/N.jpg + annotations/N_exp.npy} layout;
 * codes 8-10 (none, uncertain, no face) are left out and counted.</li>
 * </ul>
 */
public final class StillsFormats {

    public static final List<String> FORMATS = List.of("csv", "folders", "fer2013", "ckplus", "rafdb", "affectnet");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

    /** One file of the study: its row, and its bytes (read from the user's copy, or made: FER2013's pixels). */
    public record Item(StillsIndex.Row row, Supplier<byte[]> bytes) {
    }

    /**
     * What a reader found: the items, what it left out and why (counted), and whether the images are already
     * aligned face crops (FER2013, RAF-DB aligned): then detection is skipped unless the user asks for it.
     */
    public record Study(List<Item> items, Map<String, Long> skipped, boolean aligned) {
    }

    private StillsFormats() {
    }

    /** Reads {@code dir} in {@code format}; {@code labels} is the CSV for {@code csv} (and may name fer2013.csv). */
    public static Study read(String format, Path dir, Path labels) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--images " + dir + " is not a folder");
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> csv(dir, labels);
            case "folders" -> folders(dir);
            case "fer2013" -> fer2013(labels != null ? labels : dir.resolve("fer2013.csv"));
            case "ckplus" -> ckplus(dir);
            case "rafdb" -> rafdb(dir);
            case "affectnet" -> affectnet(dir);
            default -> throw new IllegalArgumentException("--format " + format + " is not one of " + FORMATS);
        };
    }

    private static Study csv(Path dir, Path labels) {
        if (labels == null) {
            throw new IllegalArgumentException("--labels FILE.csv is required with --format csv (file,label[,subject,"
                    + "split,source,...]); for a folder per class use --format folders");
        }
        // Every check (files, labels, splits) against the user's own file, so rows are named as they wrote them.
        StillsIndex index = StillsIndex.read(labels, dir, null, 0);
        boolean subjects = StillsIndex.SUBJECT.equals(index.grouping());
        List<Item> items = new ArrayList<>();
        Map<String, String> rawSplits = rawSplits(labels);
        for (StillsIndex.Entry e : index.entries()) {
            items.add(new Item(new StillsIndex.Row(e.file(), e.label(), subjects ? e.participant() : null,
                    rawSplits.get(e.file()), e.source(), percent(e.expressions())), file(dir.resolve(e.file()))));
        }
        return new Study(items, Map.of(), false);
    }

    /** The split column as written (empty: the import assigns one), by file. */
    private static Map<String, String> rawSplits(Path labels) {
        Map<String, String> m = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(labels, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get()
                     .parse(in)) {
            String split = p.getHeaderNames().stream().filter(h -> h.equalsIgnoreCase("split")).findFirst()
                    .orElse(null);
            String file = p.getHeaderNames().stream().filter(h -> h.equalsIgnoreCase("file")).findFirst()
                    .orElseThrow();
            for (CSVRecord r : p) {
                String s = split == null || !r.isSet(split) ? "" : r.get(split);
                m.put(r.get(file).replace('\\', '/'), s.isEmpty() ? null : s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static Map<String, Double> percent(Map<String, Double> unit) {
        if (unit == null) {
            return null;
        }
        Map<String, Double> m = new TreeMap<>();
        unit.forEach((k, v) -> m.put(k, v * 100));
        return m;
    }

    private static Study folders(Path dir) {
        List<Item> items = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        for (Path sub : list(dir)) {
            if (!Files.isDirectory(sub)) {
                continue;
            }
            String name = sub.getFileName().toString();
            String label = StillsIndex.normalise(name);
            if (label == null) {
                throw new IllegalArgumentException("folder " + sub + " is not a class; name each folder after one "
                        + "of " + dev.emotion.core.contract.Emotion.DOMINANT_LABELS + " (or happy, angry, sad, "
                        + "surprised, fearful, disgusted)");
            }
            for (Path f : list(sub)) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f) && (isImage(n) || StillsIndex.isClip(n))) {
                    items.add(new Item(new StillsIndex.Row(name + "/" + n, label, null, null, "folders", null),
                            file(f)));
                } else if (Files.isRegularFile(f)) {
                    skipped.merge("not an image or clip", 1L, Long::sum);
                }
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(dir + " has no class folders with images (expected DIR/<label>/*.jpg)");
        }
        return new Study(items, skipped, false);
    }

    /** FER2013's emotion codes: 0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral. */
    private static final List<String> FER = List.of("anger", "disgust", "fear", "joy", "sadness", "surprise",
            "neutral");

    private static Study fer2013(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(csv + " does not exist (FER2013: the folder holding fer2013.csv, or "
                    + "--labels path/to/fer2013.csv)");
        }
        List<Item> items = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get()
                     .parse(in)) {
            for (String c : List.of("emotion", "pixels")) {
                if (!p.getHeaderNames().contains(c)) {
                    throw new LabelFileException(csv, 1, c, "missing column; FER2013's header is emotion,pixels,"
                            + "Usage (found " + p.getHeaderNames() + ")");
                }
            }
            boolean usage = p.getHeaderNames().contains("Usage");
            for (CSVRecord r : p) {
                int row = (int) r.getRecordNumber() + 1;
                int code;
                try {
                    code = Integer.parseInt(r.get("emotion"));
                } catch (NumberFormatException e) {
                    throw new LabelFileException(csv, row, "emotion", "'" + r.get("emotion") + "' is not 0..6");
                }
                if (code < 0 || code >= FER.size()) {
                    throw new LabelFileException(csv, row, "emotion", code + " is not 0..6");
                }
                String pixels = r.get("pixels");
                byte[] png = png48(pixels, csv, row);
                String split = usage ? r.get("Usage") : null;
                items.add(new Item(new StillsIndex.Row(String.format(Locale.ROOT, "fer2013/%05d.png", row - 1),
                        FER.get(code), null, split, "fer2013", null), () -> png));
            }
        } catch (IOException e) {
            throw new LabelFileException(csv, 0, null, "cannot be read: " + e.getMessage());
        }
        return new Study(items, Map.of(), true);
    }

    /** 2304 grey values (48 x 48) as a PNG. */
    static byte[] png48(String pixels, Path csv, int row) {
        String[] v = pixels.trim().split("\\s+");
        int side = (int) Math.round(Math.sqrt(v.length));
        if (side * side != v.length || side < 8) {
            throw new LabelFileException(csv, row, "pixels", v.length + " values is not a square image (FER2013 "
                    + "has 2304: 48 x 48)");
        }
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < v.length; i++) {
            int g;
            try {
                g = Integer.parseInt(v[i]);
            } catch (NumberFormatException e) {
                throw new LabelFileException(csv, row, "pixels", "value " + (i + 1) + " '" + v[i] + "' is not 0..255");
            }
            if (g < 0 || g > 255) {
                throw new LabelFileException(csv, row, "pixels", "value " + (i + 1) + " (" + g + ") is not 0..255");
            }
            img.getRaster().setSample(i % side, i / side, 0, g);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** CK+ codes: 0 neutral, 1 anger, 2 contempt, 3 disgust, 4 fear, 5 happy, 6 sadness, 7 surprise. */
    private static final List<String> CK = List.of("neutral", "anger", "contempt", "disgust", "fear", "joy",
            "sadness", "surprise");

    private static Study ckplus(Path dir) {
        Path images = dir.resolve("cohn-kanade-images");
        Path emotions = dir.resolve("Emotion");
        if (!Files.isDirectory(images) || !Files.isDirectory(emotions)) {
            throw new IllegalArgumentException(dir + " is not a CK+ folder: expected cohn-kanade-images/ and Emotion/"
                    + " (as in the CK+ download: extended-cohn-kanade-images.zip + Emotion_labels.zip)");
        }
        List<Item> items = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        for (Path subject : list(emotions)) {
            for (Path sequence : list(subject)) {
                List<Path> labelFiles = list(sequence).stream().filter(p -> p.toString().endsWith("_emotion.txt"))
                        .toList();
                Path frames = images.resolve(subject.getFileName().toString()).resolve(sequence.getFileName()
                        .toString());
                if (labelFiles.isEmpty()) {
                    continue;
                }
                List<Path> pngs = Files.isDirectory(frames) ? list(frames).stream().filter(p -> isImage(p
                        .getFileName().toString())).toList() : List.of();
                if (pngs.isEmpty()) {
                    skipped.merge("labelled sequence without frames", 1L, Long::sum);
                    continue;
                }
                String text = readString(labelFiles.get(0)).trim();
                int code;
                try {
                    code = (int) Math.round(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(labelFiles.get(0) + ": '" + text + "' is not a CK+ emotion "
                            + "code 0..7");
                }
                if (code < 0 || code >= CK.size()) {
                    throw new IllegalArgumentException(labelFiles.get(0) + ": " + code + " is not a CK+ code 0..7");
                }
                String s = subject.getFileName().toString();
                Path first = pngs.get(0);
                Path last = pngs.get(pngs.size() - 1);
                items.add(new Item(new StillsIndex.Row(dir.relativize(last).toString().replace('\\', '/'),
                        CK.get(code), s, null, "ckplus", null), file(last)));
                if (!first.equals(last)) {
                    items.add(new Item(new StillsIndex.Row(dir.relativize(first).toString().replace('\\', '/'),
                            "neutral", s, null, "ckplus", null), file(first)));
                }
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no labelled CK+ sequence found under Emotion/");
        }
        return new Study(items, skipped, false);
    }

    /** RAF-DB basic codes: 1 surprise, 2 fear, 3 disgust, 4 happiness, 5 sadness, 6 anger, 7 neutral. */
    private static final List<String> RAF = List.of("surprise", "fear", "disgust", "joy", "sadness", "anger",
            "neutral");

    private static Study rafdb(Path dir) {
        Path list = dir.resolve("EmoLabel").resolve("list_patition_label.txt");
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException(list + " does not exist (RAF-DB basic: EmoLabel/list_patition_label.txt"
                    + " + Image/aligned/)");
        }
        Path aligned = dir.resolve("Image").resolve("aligned");
        boolean useAligned = Files.isDirectory(aligned);
        Path images = useAligned ? aligned : dir.resolve("Image").resolve("original");
        List<Item> items = new ArrayList<>();
        List<String> lines = readLines(list);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            int code;
            try {
                code = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                code = -1;
            }
            if (code < 1 || code > RAF.size()) {
                throw new LabelFileException(list, i + 1, null, "'" + line + "' is not 'NAME.jpg CODE' with a code "
                        + "1..7");
            }
            String name = parts[0];
            if (useAligned) {
                int dot = name.lastIndexOf('.');
                name = name.substring(0, dot) + "_aligned" + name.substring(dot);
            }
            Path f = images.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new LabelFileException(list, i + 1, null, f + " does not exist");
            }
            String split = name.startsWith("train") ? "train" : name.startsWith("test") ? "test" : null;
            items.add(new Item(new StillsIndex.Row(dir.relativize(f).toString().replace('\\', '/'),
                    RAF.get(code - 1), null, split, "rafdb", null), file(f)));
        }
        return new Study(items, Map.of(), useAligned);
    }

    /** AffectNet codes: 0 neutral, 1 happy, 2 sad, 3 surprise, 4 fear, 5 disgust, 6 anger, 7 contempt. */
    private static final List<String> AFFECTNET = List.of("neutral", "joy", "sadness", "surprise", "fear", "disgust",
            "anger", "contempt");

    private static Study affectnet(Path dir) {
        Path lists = dir.resolve("Manually_Annotated_file_lists");
        if (Files.isDirectory(lists)) {
            List<Item> items = new ArrayList<>();
            Map<String, Long> skipped = new TreeMap<>();
            Path images = dir.resolve("Manually_Annotated_Images");
            for (String[] part : new String[][] {{"training.csv", "train"}, {"validation.csv", "test"}}) {
                Path csv = lists.resolve(part[0]);
                if (!Files.isRegularFile(csv)) {
                    continue;
                }
                try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                     CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                             .get().parse(in)) {
                    for (CSVRecord r : p) {
                        int row = (int) r.getRecordNumber() + 1;
                        int code = affectNetCode(r.get("expression"), csv, row);
                        if (code >= AFFECTNET.size()) {
                            skipped.merge(code == 8 ? "none" : code == 9 ? "uncertain" : "no face", 1L, Long::sum);
                            continue;
                        }
                        Path f = images.resolve(r.get("subDirectory_filePath"));
                        items.add(new Item(new StillsIndex.Row(dir.relativize(f).toString().replace('\\', '/'),
                                AFFECTNET.get(code), null, part[1], "affectnet", null), file(f)));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    throw new LabelFileException(csv, 0, null, "cannot be read as AffectNet's list (columns "
                            + "subDirectory_filePath, expression): " + e.getMessage());
                }
            }
            return new Study(items, skipped, false);
        }
        List<Item> items = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        for (String[] part : new String[][] {{"train_set", "train"}, {"val_set", "test"}}) {
            Path set = dir.resolve(part[0]);
            if (!Files.isDirectory(set)) {
                continue;
            }
            for (Path img : list(set.resolve("images"))) {
                String n = img.getFileName().toString();
                if (!isImage(n)) {
                    continue;
                }
                String stem = n.substring(0, n.lastIndexOf('.'));
                Path npy = set.resolve("annotations").resolve(stem + "_exp.npy");
                if (!Files.isRegularFile(npy)) {
                    throw new IllegalArgumentException(img + " has no annotation " + npy);
                }
                int code = affectNetCode(Npy.scalarText(npy), npy, 0);
                if (code >= AFFECTNET.size()) {
                    skipped.merge("code " + code, 1L, Long::sum);
                    continue;
                }
                items.add(new Item(new StillsIndex.Row(dir.relativize(img).toString().replace('\\', '/'),
                        AFFECTNET.get(code), null, part[1], "affectnet", null), file(img)));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(dir + " is not an AffectNet folder: expected Manually_Annotated_file_lists/"
                    + " + Manually_Annotated_Images/, or train_set/ and val_set/ with images/ and annotations/");
        }
        return new Study(items, skipped, false);
    }

    private static int affectNetCode(String text, Path where, int row) {
        try {
            int code = (int) Math.round(Double.parseDouble(text.trim()));
            if (code < 0 || code > 10) {
                throw new NumberFormatException();
            }
            return code;
        } catch (NumberFormatException e) {
            throw new LabelFileException(where, row, "expression", "'" + text + "' is not an AffectNet code 0..10");
        }
    }

    /** The one value of a numpy {@code .npy} file holding a scalar or a one-element array (text or number). */
    static final class Npy {
        static String scalarText(Path npy) {
            byte[] b;
            try {
                b = Files.readAllBytes(npy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (b.length < 10 || b[0] != (byte) 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M') {
                throw new IllegalArgumentException(npy + " is not a numpy .npy file");
            }
            int major = b[6];
            int headerLen = major == 1 ? (b[8] & 0xFF) | (b[9] & 0xFF) << 8
                    : (b[8] & 0xFF) | (b[9] & 0xFF) << 8 | (b[10] & 0xFF) << 16 | (b[11] & 0xFF) << 24;
            int start = major == 1 ? 10 : 12;
            String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
            int data = start + headerLen;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("'descr':\\s*'([<>|=])([a-zA-Z])(\\d+)'")
                    .matcher(header);
            if (!m.find()) {
                throw new IllegalArgumentException(npy + ": no dtype in the header " + header.trim());
            }
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, data, b.length - data)
                    .order(m.group(1).equals(">") ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
            int size = Integer.parseInt(m.group(3));
            return switch (m.group(2)) {
                case "U" -> new String(b, data, size * 4, buf.order() == java.nio.ByteOrder.BIG_ENDIAN
                        ? java.nio.charset.Charset.forName("UTF-32BE") : java.nio.charset.Charset.forName("UTF-32LE"))
                        .replace("\0", "");
                case "S" -> new String(b, data, size, StandardCharsets.US_ASCII).replace("\0", "");
                case "i" -> String.valueOf(size == 8 ? buf.getLong() : size == 4 ? buf.getInt() : size == 2
                        ? buf.getShort() : buf.get());
                case "f" -> String.valueOf(size == 8 ? buf.getDouble() : buf.getFloat());
                default -> throw new IllegalArgumentException(npy + ": dtype " + m.group() + " is not text or a number");
            };
        }
    }

    static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Supplier<byte[]> file(Path f) {
        return () -> {
            try {
                return Files.readAllBytes(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        };
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String readString(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
