package dev.emotion.core.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emotion.core.contract.Split;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each dataset layout on a small fixture made in that layout, and the checks that name the bad row. */
class StillsFormatsTest {

    @TempDir
    Path dir;

    private void touch(String rel) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9});
    }

    private static Map<String, String> labels(StillsFormats.Study s) {
        Map<String, String> m = new TreeMap<>();
        s.items().forEach(i -> m.put(i.row().file(), i.row().label()));
        return m;
    }

    @Test
    void aFolderPerClassWithTheCommonSpellings() throws IOException {
        touch("happy/a.jpg");
        touch("Angry/b.png");
        touch("neutral/c.jpeg");
        touch("neutral/notes.txt");
        StillsFormats.Study s = StillsFormats.read("folders", dir, null);
        assertEquals(Map.of("happy/a.jpg", "joy", "Angry/b.png", "anger", "neutral/c.jpeg", "neutral"), labels(s));
        assertEquals(Map.of("not an image or clip", 1L), s.skipped());
        touch("bored/d.jpg");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StillsFormats.read("folders", dir, null));
        assertTrue(e.getMessage().contains("bored"), e.getMessage());
    }

    @Test
    void fer2013PixelsBecomeGreyImagesWithTheUsageAsSplit() throws IOException {
        StringBuilder pixels = new StringBuilder();
        for (int i = 0; i < 48 * 48; i++) {
            pixels.append(i == 0 ? "" : " ").append(i % 256);
        }
        Path csv = dir.resolve("fer2013.csv");
        Files.writeString(csv, "emotion,pixels,Usage\n3,\"" + pixels + "\",Training\n6,\"" + pixels
                + "\",PrivateTest\n");
        StillsFormats.Study s = StillsFormats.read("fer2013", dir, null);
        assertTrue(s.aligned(), "FER2013 images are aligned crops");
        assertEquals(Map.of("fer2013/00001.png", "joy", "fer2013/00002.png", "neutral"), labels(s));
        assertEquals("Training", s.items().get(0).row().split());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(s.items().get(0).bytes().get()));
        assertEquals(48, img.getWidth());
        assertEquals(47, img.getRaster().getSample(47, 0, 0), "row-major grey values");
        assertEquals(0, img.getRaster().getSample(16, 5, 0), "value 256 wraps: (5*48+16) % 256 = 0");
        Files.writeString(csv, "emotion,pixels,Usage\n9,\"" + pixels + "\",Training\n");
        LabelFileException e = assertThrows(LabelFileException.class, () -> StillsFormats.read("fer2013", dir, null));
        assertEquals(2, e.row());
        assertEquals("emotion", e.column());
    }

    @Test
    void ckPlusLabelsTheLastFrameAndTakesTheFirstAsNeutral() throws IOException {
        for (int f = 1; f <= 3; f++) {
            touch("cohn-kanade-images/S005/001/S005_001_0000000" + f + ".png");
        }
        touch("cohn-kanade-images/S010/002/S010_002_00000001.png");
        touch("cohn-kanade-images/S010/002/S010_002_00000002.png");
        Files.createDirectories(dir.resolve("Emotion/S005/001"));
        Files.writeString(dir.resolve("Emotion/S005/001/S005_001_00000003_emotion.txt"), "   3.0000000e+00\n");
        Files.createDirectories(dir.resolve("Emotion/S010/002"));
        Files.writeString(dir.resolve("Emotion/S010/002/S010_002_00000002_emotion.txt"), "   2.0000000e+00\n");
        Files.createDirectories(dir.resolve("Emotion/S011/001")); // a sequence without a label file: left out
        StillsFormats.Study s = StillsFormats.read("ckplus", dir, null);
        assertEquals(Map.of("cohn-kanade-images/S005/001/S005_001_00000003.png", "disgust",
                "cohn-kanade-images/S005/001/S005_001_00000001.png", "neutral",
                "cohn-kanade-images/S010/002/S010_002_00000002.png", "contempt",
                "cohn-kanade-images/S010/002/S010_002_00000001.png", "neutral"), labels(s));
        assertTrue(s.items().stream().allMatch(i -> i.row().file().contains(i.row().subject())), "subject = folder");
    }

    @Test
    void rafDbUsesTheAlignedImagesAndTheFileNameAsSplit() throws IOException {
        touch("Image/aligned/train_00001_aligned.jpg");
        touch("Image/aligned/test_0001_aligned.jpg");
        Files.createDirectories(dir.resolve("EmoLabel"));
        Files.writeString(dir.resolve("EmoLabel/list_patition_label.txt"), "train_00001.jpg 5\ntest_0001.jpg 7\n");
        StillsFormats.Study s = StillsFormats.read("rafdb", dir, null);
        assertTrue(s.aligned());
        assertEquals(Map.of("Image/aligned/train_00001_aligned.jpg", "sadness",
                "Image/aligned/test_0001_aligned.jpg", "neutral"), labels(s));
        assertEquals(List.of("train", "test"), s.items().stream().map(i -> i.row().split()).toList());
        Files.writeString(dir.resolve("EmoLabel/list_patition_label.txt"), "train_00001.jpg 5\ntest_0002.jpg 8\n");
        LabelFileException e = assertThrows(LabelFileException.class, () -> StillsFormats.read("rafdb", dir, null));
        assertEquals(2, e.row());
    }

    @Test
    void affectNetListsAndNumpyAnnotationsWithTheUnusableCodesCounted() throws IOException {
        touch("Manually_Annotated_Images/1/a.jpg");
        touch("Manually_Annotated_Images/2/b.jpg");
        Files.createDirectories(dir.resolve("Manually_Annotated_file_lists"));
        String header = "subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,"
                + "valence,arousal\n";
        Files.writeString(dir.resolve("Manually_Annotated_file_lists/training.csv"), header
                + "1/a.jpg,0,0,10,10,\"1;2\",7,0.1,0.2\n2/b.jpg,0,0,10,10,\"1;2\",10,-2,-2\n");
        Files.writeString(dir.resolve("Manually_Annotated_file_lists/validation.csv"), header
                + "2/b.jpg,0,0,10,10,\"1;2\",1,0.5,0.2\n");
        StillsFormats.Study s = StillsFormats.read("affectnet", dir, null);
        assertEquals(List.of("contempt", "joy"), s.items().stream().map(i -> i.row().label()).toList());
        assertEquals(List.of("train", "test"), s.items().stream().map(i -> i.row().split()).toList());
        assertEquals(Map.of("no face", 1L), s.skipped());

        Path other = dir.resolve("other");
        Files.createDirectories(other.resolve("train_set/images"));
        Files.createDirectories(other.resolve("train_set/annotations"));
        Files.write(other.resolve("train_set/images/0.jpg"), new byte[] {1});
        Files.write(other.resolve("train_set/annotations/0_exp.npy"), npyText("6"));
        StillsFormats.Study t = StillsFormats.read("affectnet", other, null);
        assertEquals(Map.of("train_set/images/0.jpg", "anger"), labels(t));
    }

    /** A 0-d numpy array of one unicode character, as AffectNet's *_exp.npy files hold their code. */
    static byte[] npyText(String value) {
        String header = "{'descr': '<U1', 'fortran_order': False, 'shape': (), }";
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] hb = h.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] data = value.getBytes(java.nio.charset.Charset.forName("UTF-32LE"));
        byte[] out = new byte[10 + hb.length + data.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) (hb.length & 0xFF);
        out[9] = (byte) (hb.length >> 8);
        System.arraycopy(hb, 0, out, 10, hb.length);
        System.arraycopy(data, 0, out, 10 + hb.length, data.length);
        return out;
    }

    @Test
    void aUsersCsvIsCheckedRowByRow() throws IOException {
        touch("x/1.jpg");
        touch("x/2.jpg");
        touch("y/3.jpg");
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "file,label,subject,split,Smile\nx/1.jpg,happiness,ann,train,80\n"
                + "x/2.jpg,surprised,ann,\ny/3.jpg,fearful,bob,test,\n");
        LabelFileException e = assertThrows(LabelFileException.class, () -> StillsIndex.read(csv, dir, null, 1));
        assertEquals(3, e.row());
        assertTrue(e.getMessage().contains("subject 'ann' has no split here but split train"), e.getMessage());

        Files.writeString(csv, "file,label,subject,split,Smile\nx/1.jpg,happiness,ann,train,80\n"
                + "x/2.jpg,surprised,ann,train,\ny/3.jpg,fearful,bob,test,\n");
        StillsFormats.Study s = StillsFormats.read("csv", dir, csv);
        assertEquals(List.of("joy", "surprise", "fear"), s.items().stream().map(i -> i.row().label()).toList());
        assertEquals(80.0, s.items().get(0).row().expressions().get("Smile"), 1e-9);
        assertNull(s.items().get(1).row().expressions().get("Smile"));
        StillsIndex index = StillsIndex.read(csv, dir, null, 1);
        assertEquals(0.8, index.entries().get(0).labels().expressions().get("Smile"), 1e-9);
        assertEquals(1.0, index.entries().get(2).labels().fear(), 0);
        assertEquals(Split.TEST, index.entries().get(2).split());

        for (String[] bad : new String[][] {
            {"x/1.jpg,joy\nx/1.jpg,sad\n", "listed twice"},
            {"x/9.jpg,joy\n", "does not exist"},
            {"../x/1.jpg,joy\n", "inside the images folder"},
            {"x/1.jpg,bored\n", "'bored' is not a known class"}}) {
            Files.writeString(csv, "file,label\n" + bad[0]);
            LabelFileException b = assertThrows(LabelFileException.class, () -> StillsIndex.read(csv, dir, null, 1));
            assertTrue(b.getMessage().contains(bad[1]) && b.row() >= 2, b.getMessage());
        }
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                s.items().get(0).bytes().get());
    }
}
