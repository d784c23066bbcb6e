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
