package dev.emotion.core.synth;

import dev.emotion.core.contract.Emotion;

/**
 * FACS action-unit activations in [0, 1] that the renderer draws, built from emotion intensities with the EMFACS
 * prototypes: joy 6+12; sadness 1+4+15(+17); surprise 1+2+5+25+26; fear 1+2+4+5+7+20+25(+26); anger 4+5+7+23(+17);
 * disgust 9+10+15(+4+17); contempt one-sided 12+14 (here {@code au14r}); sadness also droops the upper lids (43). The intensities are the drawn ones (the
 * person's expressivity is already in them, see {@link EmotionScript#emotions}).
 */
public record ActionUnits(double au1, double au2, double au4, double au5, double au6, double au7, double au9,
                          double au10, double au12, double au14r, double au15, double au17, double au20,
                          double au23, double au25, double au26, double au43, double blink) {

    public static ActionUnits of(double[] e, double blink) {
        double joy = muscle(e[Emotion.JOY.ordinal()]);
        double anger = muscle(e[Emotion.ANGER.ordinal()]);
        double fear = muscle(e[Emotion.FEAR.ordinal()]);
        double disgust = muscle(e[Emotion.DISGUST.ordinal()]);
        double sad = muscle(e[Emotion.SADNESS.ordinal()]);
        double surprise = muscle(e[Emotion.SURPRISE.ordinal()]);
        double contempt = muscle(e[Emotion.CONTEMPT.ordinal()]);
        return new ActionUnits(
                c(0.9 * sad + 0.9 * surprise + 0.8 * fear),
                c(1.0 * surprise + 0.6 * fear),
                c(0.6 * sad + 0.6 * fear + 1.0 * anger + 0.5 * disgust),
                c(0.9 * surprise + 1.0 * fear + 0.5 * anger),
                c(0.8 * joy + 0.4 * disgust),
                c(0.3 * fear + 0.9 * anger + 0.4 * disgust),
                c(1.0 * disgust),
                c(0.8 * disgust),
                c(1.0 * joy),
                c(1.0 * contempt),
                c(0.9 * sad + 0.4 * disgust),
                c(0.7 * sad + 0.4 * anger + 0.3 * disgust),
                c(0.9 * fear),
                c(0.9 * anger),
                c(0.6 * joy + 0.8 * surprise + 0.6 * fear),
                c(0.8 * surprise + 0.3 * fear),
                c(0.8 * sad),
                c(blink));
    }

    /** Muscles respond more than linearly at moderate intensities (0.6 draws as 0.74): expressions read early. */
    static double muscle(double intensity) {
        return intensity <= 0 ? 0 : Math.pow(Math.min(1, intensity), 0.6);
    }

    private static double c(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
