package dev.emotion.core.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AffdexCsvReaderTest {

    /** An iMotions export as the software writes it: metadata rows, duplicate EventSource, NaN gaps, ~25 Hz jitter. */
    static final String IMOTIONS = """
            #Respondent Name,P07
            #Respondent Gender,FEMALE
            #Study Name,Interview study
            #Sensor,AFFDEX
            #DATA
            Row,Timestamp,EventSource,SlideEvent,StimType,EventSource,SampleNumber,Anger,Contempt,Disgust,Fear,Joy,Sadness,Surprise,Engagement,Valence,Attention,Brow Furrow,Smile
            1,0,Affdex,StartMedia,TestImage,Affdex,1,0.1,0.2,0.3,0.0,87.5,0.0,2.0,90.1,60.0,95.0,0,99
            2,41,Affdex,,,Affdex,2,0.1,0.2,0.3,0.0,80.0,0.0,2.0,88.0,55.0,94.0,0,98
            3,79,Affdex,,,Affdex,3,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN
            4,79,GSR,,,GSR,3,,,,,,,,,,,,
            5,121,Affdex,,,Affdex,4,,,,,,,,,,,,
            6,160,Affdex,,,Affdex,5,70.0,1.0,5.0,0.0,0.0,10.0,0.0,75.0,-80.0,90.0,88,0
            """;

    static final String AFFDEX_SDK = """
            TimeStamp,faces,joy,fear,disgust,sadness,anger,surprise,contempt,valence,engagement
            0.0000,1,0.5,0,0,0,0,99.0,0,10,95
            0.0333,1,0.5,0,0,0,0,98.0,0,10,95
            0.0667,0,,,,,,,,,
            """;

    @TempDir
    Path dir;

    @Test
    void readsAnIMotionsExport() throws IOException {
        LabelTrack t = new AffdexCsvReader().read(write("p07.csv", IMOTIONS));
        assertEquals("imotions", t.format());
        assertEquals("P07", t.metadata().get("Respondent Name"));
        assertEquals("AFFDEX", t.metadata().get("Sensor"));
        assertEquals(List.of(0L, 41L, 79L, 121L, 160L), t.samples().stream().map(LabelSample::timestampMs).toList());
        assertEquals(0.875, t.samples().get(0).labels().joy(), 1e-9);
        assertEquals(0.6, t.samples().get(0).labels().valence(), 1e-9);
        assertEquals(0.95, t.samples().get(0).labels().attention(), 1e-9);
        assertTrue(t.samples().get(2).isGap(), "NaN row is a gap");
        assertTrue(t.samples().get(3).isGap(), "empty row is a gap");
        assertEquals(-0.8, t.samples().get(4).labels().valence(), 1e-9);
        assertEquals(0.7, t.samples().get(4).labels().anger(), 1e-9);
        assertEquals(List.of(), t.warnings());
        assertEquals(3, t.validSamples());
        assertEquals(java.util.Map.of("Brow Furrow", 0.0, "Smile", 0.99), t.samples().get(0).labels().expressions());
        assertEquals(0.88, t.samples().get(4).labels().expressions().get("Brow Furrow"), 1e-9);
    }

    @Test
    void readsTheSdksCamelCaseExpressionsAndNamesABadExpressionCell() throws IOException {
        LabelTrack t = new AffdexCsvReader().read(write("sdk.csv", """
                TimeStamp,faces,joy,fear,disgust,sadness,anger,surprise,contempt,browFurrow,lipCornerDepressor,smile
                0.0000,1,0.5,0,0,0,0,99.0,0,12.5,3,50
                0.0333,1,0.5,0,0,0,0,98.0,0,10,0,40
                """));
        assertEquals(java.util.Map.of("Brow Furrow", 0.125, "Lip Corner Depressor", 0.03, "Smile", 0.5),
                t.samples().get(0).labels().expressions());
        StringBuilder bad = new StringBuilder("Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt,Smile\n");
        for (int i = 0; i < 20; i++) {
            bad.append(i * 40).append(",50,0,0,0,0,0,0,").append(i == 3 ? "250" : "40").append('\n');
        }
        LabelTrack warned = new AffdexCsvReader().read(write("bad.csv", bad.toString()));
        assertEquals(List.of("row 5 column 'Smile': 250 is outside [0, 100]"), warned.warnings());
        assertTrue(warned.samples().get(3).isGap(), "the row with the bad expression is not used");
    }

    @Test
    void readsAnAffdexSdkFileWithSecondsAndLowerCaseNames() throws IOException {
        LabelTrack t = new AffdexCsvReader().read(write("sdk.csv", AFFDEX_SDK));
        assertEquals("affdex-sdk", t.format());
        assertEquals(List.of(0L, 33L, 67L), t.samples().stream().map(LabelSample::timestampMs).toList());
        assertEquals(0.99, t.samples().get(0).labels().surprise(), 1e-9);
        assertNull(t.samples().get(0).labels().attention(), "the SDK file has no attention column");
        assertTrue(t.samples().get(2).isGap());
    }

    /**
     * The Affdex SDK's video demo (PlottingImageListener): a header ending in a comma, head angles, nine emotion
     * columns (valence -100..100), 21 expressions including attention, 12 emojis, one row per face, and a no-face
     * row written as {@code 18.0000nan,nan,no,unknown,...}: the timestamp glued to the first nan, one field short.
     */
    static String affdexVideoDemo(int rows, java.util.function.IntPredicate noFace) {
        List<String> expressions = List.of("smile", "innerBrowRaise", "browRaise", "browFurrow", "noseWrinkle",
                "upperLipRaise", "lipCornerDepressor", "chinRaise", "lipPucker", "lipPress", "lipSuck", "mouthOpen",
                "smirk", "eyeClosure", "attention", "eyeWiden", "cheekRaise", "lidTighten", "dimpler", "lipStretch",
                "jawDrop");
        StringBuilder sb = new StringBuilder("TimeStamp,faceId,interocularDistance,glasses,age,ethnicity,gender,"
                + "dominantEmoji,pitch,yaw,roll,joy,fear,disgust,sadness,anger,surprise,contempt,valence,engagement,");
        expressions.forEach(e -> sb.append(e).append(','));
        for (int i = 0; i < 12; i++) {
            sb.append("emoji").append(i).append(',');
        }
        sb.append('\n');
        for (int r = 0; r < rows; r++) {
            String ts = String.format(java.util.Locale.ROOT, "%.4f", r / 10.0);
            if (noFace.test(r)) {
                sb.append(ts).append("nan,nan,no,unknown,unknown,unknown,unknown,");
                sb.append("nan,".repeat(3 + 9 + 21 + 12)).append('\n');
                continue;
            }
            sb.append(ts).append(",0,61.2345,no,25-34,caucasian,female,smiley,1.5,-3.25,0.5,");
            sb.append("80.0000,0.0000,1.0000,0.0000,2.0000,5.0000,0.5000,-50.0000,70.0000,");
            for (String e : expressions) {
                sb.append(e.equals("smile") ? "90.0000" : e.equals("attention") ? "97.0000" : "0.0000").append(',');
            }
            sb.append("0.0000,".repeat(12)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void readsTheAffdexVideoDemosNoFaceRowsAsGapsAndCountsThem() throws IOException {
        // A third of the rows have no face: read as rows, they would be far over the 10 % of unusable rows.
        LabelTrack t = new AffdexCsvReader().read(write("demo.csv", affdexVideoDemo(30, r -> r % 3 == 1)));
        assertEquals("affdex-sdk", t.format());
        assertEquals(List.of(), t.warnings());
        assertEquals(30, t.samples().size());
        assertEquals(10, t.noFaceRows());
        assertEquals(0, t.badRows());
        assertEquals(LabelTrack.SCALE_PERCENT, t.scale());
        assertEquals(100L, t.samples().get(1).timestampMs());
        assertTrue(t.samples().get(1).isGap(), "18.0000nan,... is 'no face at 18 s'");
        assertEquals(0.8, t.samples().get(0).labels().joy(), 1e-9);
        assertEquals(-0.5, t.samples().get(0).labels().valence(), 1e-9);
        assertEquals(0.97, t.samples().get(0).labels().attention(), 1e-9, "attention is among the expressions");
        assertEquals(0.9, t.samples().get(0).labels().expressions().get("Smile"), 1e-9);
        assertEquals(21 - 1, t.samples().get(0).labels().expressions().size(), "every AFFDEX expression but "
                + "attention, which is its own output");
    }

    @Test
    void aSecondFaceAtTheSameTimeDoesNotReplaceTheFirst() throws IOException {
        String demo = affdexVideoDemo(12, r -> false);
        String[] lines = demo.split("\n");
        String second = lines[3].replace(",0,61.2345,", ",1,40.0,").replace("80.0000,", "10.0000,");
        String file = String.join("\n", java.util.Arrays.copyOfRange(lines, 0, 4)) + "\n" + second + "\n"
                + String.join("\n", java.util.Arrays.copyOfRange(lines, 4, lines.length)) + "\n";
        LabelTrack t = new AffdexCsvReader().read(write("two-faces.csv", file));
        assertEquals(12, t.samples().size());
        assertEquals(0.8, t.samples().get(2).labels().joy(), 1e-9);
    }

    /**
     * iMotions 6.x: tab-separated, {@code #Key : Value} metadata, a second facial-coding engine's columns
     * ({@code Joy Evidence}) beside AFFDEX's, the AFFDEX rows named {@code AffRaw}, and another sensor's rows at
     * the same timestamps, sometimes before the face's row.
     */
    @Test
    void readsAnIMotions6TabSeparatedExportWithAnotherEnginesColumns() throws IOException {
        String h = String.join("\t", "StudyName", "Name", "EventSource", "Timestamp", "MediaTime", "Joy Evidence",
                "Anger Evidence", "Surprise Evidence", "Anger", "Contempt", "Disgust", "Fear", "Joy", "Sadness",
                "Surprise", "Engagement", "Valence", "Attention", "Brow Furrow", "Smile", "GSR CAL (kOhm)");
        StringBuilder sb = new StringBuilder("#Study : Interviews 2016\n#Respondent Name : P03\n"
                + "#Recording time : 10:41:07\n#Export date : 2016-05-02\n").append(h).append('\n');
        for (int i = 0; i < 10; i++) {
            long ts = i * 33L;
            String gsr = String.join("\t", "Interviews 2016", "P03", "GSR", Long.toString(ts), "", "", "", "", "", "",
                    "", "", "", "", "", "", "", "", "", "", "612.5");
            String face = String.join("\t", "Interviews 2016", "P03", "AffRaw", Long.toString(ts), "0.0", "-1.2",
                    "0.4", "2.5", "1.5", "0.2", "0.1", "0.0", i < 5 ? "92.5" : "3.0", "0.4", i < 5 ? "0.1" : "88.0",
                    "81.0", i < 5 ? "75.0" : "-5.0", "96.0", "0.0", i < 5 ? "95.0" : "0.0", "");
            sb.append(i % 2 == 0 ? gsr + "\n" + face : face + "\n" + gsr).append('\n');
        }
        LabelTrack t = new AffdexCsvReader().read(write("P03.txt", sb.toString()));
        assertEquals("imotions", t.format());
        assertEquals("Interviews 2016", t.metadata().get("Study"));
        assertEquals("P03", t.metadata().get("Respondent Name"));
        assertEquals("10:41:07", t.metadata().get("Recording time"));
        assertEquals(10, t.samples().size());
        assertEquals(0, t.noFaceRows(), "the GSR row before a face's row at the same time gives way");
        assertEquals(List.of(), t.warnings());
        assertEquals(0.925, t.samples().get(0).labels().joy(), 1e-9, "AFFDEX's Joy, not Joy Evidence");
        assertEquals(0.88, t.samples().get(7).labels().surprise(), 1e-9);
        assertEquals(0.95, t.samples().get(2).labels().expressions().get("Smile"), 1e-9);
        assertEquals(-0.05, t.samples().get(9).labels().valence(), 1e-9);
    }

    @Test
    void scoresOnZeroToOneAreRecognisedForTheWholeFile() throws IOException {
        StringBuilder unit = new StringBuilder("Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt,Valence,"
                + "Smile\n");
        StringBuilder percent = new StringBuilder(unit);
        for (int i = 0; i < 20; i++) {
            unit.append(i * 40).append(i < 10 ? ",0.8,0,0,0,0.1,0,0,0.6,0.9\n" : ",0.01,0,0,0,0,0.95,0,-0.2,0\n");
            // 0..100 with one frame at 0.8: still 0..100 (the whole file decides, never one row)
            percent.append(i * 40).append(i == 0 ? ",0.8,0,0,0,0,0,0,1,0.5\n" : ",80,0,0,0,0,0,0,60,90\n");
        }
        LabelTrack u = new AffdexCsvReader().read(write("unit.csv", unit.toString()));
        assertEquals(LabelTrack.SCALE_UNIT, u.scale());
        assertEquals(0.8, u.samples().get(0).labels().joy(), 1e-9);
        assertEquals(-0.2, u.samples().get(15).labels().valence(), 1e-9);
        assertEquals(0.9, u.samples().get(0).labels().expressions().get("Smile"), 1e-9);
        LabelTrack p = new AffdexCsvReader().read(write("percent.csv", percent.toString()));
        assertEquals(LabelTrack.SCALE_PERCENT, p.scale());
        assertEquals(0.008, p.samples().get(0).labels().joy(), 1e-9);
        assertEquals(0.8, p.samples().get(1).labels().joy(), 1e-9);
    }

    @Test
    void aReallyBrokenSdkFileIsStillRefused() throws IOException {
        // Timestamps that are not "<number>nan" stay unusable rows: 3 of 12 is over 10 %.
        String demo = affdexVideoDemo(12, r -> false);
        String[] lines = demo.split("\n");
        for (int r : new int[] {2, 5, 8}) {
            lines[r] = "abcnan" + lines[r].substring(lines[r].indexOf(','));
        }
        assertRejected("broken.csv", String.join("\n", lines) + "\n",
                "broken.csv: 3 of 12 rows have unusable values (more than 10 %); first: row 3 column 'TimeStamp': "
                        + "'abcnan' is not a timestamp");
    }

    @Test
    void readsTabSeparatedAndQuotedCells() throws IOException {
        String tsv = "\uFEFFTimestamp\t\"Joy\"\tAnger\tFear\tDisgust\tSadness\tSurprise\tContempt\n"
                + "10\t\"55.5\"\t0\t0\t0\t0\t0\t0\n";
        LabelTrack t = new AffdexCsvReader().read(write("tab.tsv", tsv));
        assertEquals(0.555, t.samples().get(0).labels().joy(), 1e-9);
    }

    @Test
    void isolatedBadCellsAreCountedWarningsAndBecomeGaps() throws IOException {
        StringBuilder sb = new StringBuilder("Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt\n");
        for (int i = 0; i < 40; i++) {
            String joy = i == 7 ? "abc" : i == 9 ? "150" : "20";
            sb.append(i * 40).append(',').append(joy).append(",0,0,0,0,0,0\n");
        }
        LabelTrack t = new AffdexCsvReader().read(write("some-bad.csv", sb.toString()));
        assertEquals(List.of("row 9 column 'Joy': 'abc' is not a number",
                "row 11 column 'Joy': 150 is outside [0, 100]"), t.warnings());
        assertTrue(t.samples().get(7).isGap());
        assertEquals(38, t.validSamples());
    }

    @Test
    void rejectsWhatCannotBeAnExport() throws IOException {
        assertRejected("empty.csv", "", "empty.csv: is empty");
        assertRejected("header.csv", "Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt\n",
                "header.csv: has a header but no data rows");
        assertRejected("meta-only.csv", "#Respondent Name,P1\n#Study,S\n", "meta-only.csv: has no header row");
        assertRejected("no-ts.csv", "Time,Joy,Anger\n1,2,3\n",
                "no-ts.csv row 1: no Timestamp column in the header (found: Time, Joy, Anger)");
        assertRejected("no-emotions.csv", "Timestamp,Joy,Engagement\n1,2,3\n",
                "no-emotions.csv row 1: no Anger, Fear, Disgust, Sadness, Surprise, Contempt column(s)");
        assertRejected("backwards.csv", "Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt\n"
                        + "0,1,1,1,1,1,1,1\n40,1,1,1,1,1,1,1\n30,1,1,1,1,1,1,1\n",
                "backwards.csv row 4 column 'Timestamp': time goes backwards (30 ms after 40 ms at row 3)");
        assertRejected("all-nan.csv", "Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt\n"
                + "0,NaN,NaN,NaN,NaN,NaN,NaN,NaN\n", "all-nan.csv: no row has emotion values");
        assertRejected("mostly-bad.csv", "Timestamp,Joy,Anger,Fear,Disgust,Sadness,Surprise,Contempt\n"
                        + "0,x,1,1,1,1,1,1\n40,1,1,1,1,1,1,1\n80,1,1,1,1,1,1,1\n",
                "mostly-bad.csv: 1 of 3 rows have unusable values (more than 10 %); first: row 2 column 'Joy'");
        assertRejected("missing.csv", null, "missing.csv: no such file");

        Path binary = dir.resolve("video.mp4");
        Files.write(binary, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', (byte) 0xC3, (byte) 0x28});
        LabelFileException e = assertThrows(LabelFileException.class, () -> new AffdexCsvReader().read(binary));
        assertTrue(e.getMessage().startsWith(binary + ": is not UTF-8 text")
                || e.getMessage().startsWith(binary + " row 1: contains binary data"), e.getMessage());
    }

    private void assertRejected(String name, String content, String expectedStart) throws IOException {
        Path file = content == null ? dir.resolve(name) : write(name, content);
        LabelFileException e = assertThrows(LabelFileException.class, () -> new AffdexCsvReader().read(file));
        String relative = e.getMessage().replace(dir + "/", "");
        assertTrue(relative.startsWith(expectedStart), "expected '" + expectedStart + "...' but got: " + relative);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
