package dev.emotion.core.synth;

import dev.emotion.core.contract.Emotion;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a participant's ground truth as an iMotions export: {@code #} metadata rows, a header with iMotions' own
 * quirks (EventSource twice, expression columns after the emotions), rows at ~25 Hz with jittered timestamps in ms,
 * scores 0..100 (valence -100..100), and NaN rows while the face is hidden.
 */
public final class ImotionsCsvWriter {

    static final String HEADER = "Row,Timestamp,EventSource,SlideEvent,StimType,Duration,CollectionPhase,"
            + "SourceStimuliName,EventSource,SampleNumber,Anger,Contempt,Disgust,Fear,Joy,Sadness,Surprise,"
            + "Engagement,Valence,Sentimentality,Confusion,Neutral,Attention,Brow Furrow,Brow Raise,Cheek Raise,"
            + "Chin Raise,Dimpler,Eye Closure,Eye Widen,Inner Brow Raise,Jaw Drop,Lip Corner Depressor,Lip Press,"
            + "Lip Stretch,Lid Tighten,Mouth Open,Nose Wrinkle,Smile,Smirk,Upper Lip Raise,Pitch,Yaw,Roll";
    private static final int AFFDEX_COLUMNS = 44 - 10;

    private ImotionsCsvWriter() {
    }

    public static void write(Path file, String studyName, Identity id, EmotionScript script, Random r)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("#Respondent Name," + id.participantId() + "\n");
            w.write("#Respondent Gender," + (id.female() ? "FEMALE" : "MALE") + "\n");
            w.write("#Study Name," + studyName + "\n");
            w.write("#Sensor,AFFDEX (synthetic ground truth)\n");
            w.write("#DATA\n");
            w.write(HEADER + "\n");
            double t = 0;
            int row = 1;
            double end = script.seconds() * 1000;
            while (t < end) {
                w.write(row(row, t / 1000.0, (long) Math.round(t), script, id, r));
                row++;
                t += 40 + (r.nextDouble() - 0.5) * 16;
            }
        }
    }

    private static String row(int row, double t, long ms, EmotionScript script, Identity id, Random r) {
        StringBuilder sb = new StringBuilder();
        sb.append(row).append(',').append(ms).append(",Affdex,,,,,Interview,Affdex,").append(row);
        if (script.faceHidden(t)) {
            sb.append(",NaN".repeat(AFFDEX_COLUMNS));
            return sb.append('\n').toString();
        }
        double[] e = script.emotions(t);
        double[] score = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            // The annotation is the drawn intensity plus a little measurement noise.
            score[i] = clamp(100 * e[i] + r.nextGaussian() * 1.5 * (e[i] > 0 ? 1 : 0.3), 0, 100);
        }
        double joy = score[Emotion.JOY.ordinal()];
        double negative = Math.max(Math.max(score[Emotion.ANGER.ordinal()], score[Emotion.DISGUST.ordinal()]),
                Math.max(Math.max(score[Emotion.SADNESS.ordinal()], score[Emotion.FEAR.ordinal()]),
                        score[Emotion.CONTEMPT.ordinal()]));
        double max = 0;
        for (double s : score) {
            max = Math.max(max, s);
        }
        ActionUnits au = ActionUnits.of(e, script.blink(t));
        num(sb, score[Emotion.ANGER.ordinal()]);
        num(sb, score[Emotion.CONTEMPT.ordinal()]);
        num(sb, score[Emotion.DISGUST.ordinal()]);
        num(sb, score[Emotion.FEAR.ordinal()]);
        num(sb, joy);
        num(sb, score[Emotion.SADNESS.ordinal()]);
        num(sb, score[Emotion.SURPRISE.ordinal()]);
        num(sb, clamp(max * 0.9 + 5, 0, 100)); // engagement: expressiveness
        num(sb, clamp(joy - negative, -100, 100)); // valence
        num(sb, clamp(score[Emotion.SADNESS.ordinal()] * 0.5, 0, 100)); // sentimentality
        num(sb, clamp(au.au4() * 60, 0, 100)); // confusion
        num(sb, clamp(100 - max, 0, 100)); // neutral
        num(sb, 100 * script.attention(t));
        double eyeClosure = Math.max(au.blink(), au.au43());
        for (double v : new double[] {au.au4(), (au.au1() + au.au2()) / 2, au.au6(), au.au17(), au.au14r(),
                eyeClosure, au.au5(), au.au1(), au.au26(), au.au15(), au.au23(), au.au20(), au.au7(),
                au.au25(), au.au9(), au.au12(), au.au14r(), au.au10()}) {
            num(sb, clamp(100 * v + r.nextGaussian() * (v > 0 ? 1.5 : 0.3), 0, 100));
        }
        num(sb, script.pitch(t));
        num(sb, script.yaw(t));
        num(sb, script.roll(t));
        return sb.append('\n').toString();
    }

    private static void num(StringBuilder sb, double v) {
        sb.append(',').append(String.format(Locale.ROOT, "%.4f", v));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
