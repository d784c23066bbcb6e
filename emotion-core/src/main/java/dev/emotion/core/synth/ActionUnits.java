package dev.emotion.core.synth;

import dev.emotion.core.contract.Emotion;

/**
 * FACS action-unit activations in [0, 1] that the renderer draws, built from emotion intensities with the EMFACS
 * prototypes: joy 6+12; sadness 1+4+15(+17); surprise 1+2+5+25+26; fear 1+2+4+5+7+20+25(+26); anger 4+5+7+23(+17);
 * disgust 9+10+15(+4+17); contempt one-sided 12+14 (here {@code au14r}). {@code expressivity} scales them per person.
 */
public record ActionUnits(double au1, double au2, double au4, double au5, double au6, double au7, double au9,
                          double au10, double au12, double au14r, double au15, double au17, double au20,
                          double au23, double au25, double au26, double blink) {

    public static ActionUnits of(double[] e, double expressivity, double blink) {
        double joy = e[Emotion.JOY.ordinal()] * expressivity;
        double anger = e[Emotion.ANGER.ordinal()] * expressivity;
        double fear = e[Emotion.FEAR.ordinal()] * expressivity;
        double disgust = e[Emotion.DISGUST.ordinal()] * expressivity;
        double sad = e[Emotion.SADNESS.ordinal()] * expressivity;
        double surprise = e[Emotion.SURPRISE.ordinal()] * expressivity;
        double contempt = e[Emotion.CONTEMPT.ordinal()] * expressivity;
        return new ActionUnits(
                c(0.9 * sad + 0.9 * surprise + 0.8 * fear),
                c(1.0 * surprise + 0.6 * fear),
                c(0.5 * sad + 0.6 * fear + 1.0 * anger + 0.3 * disgust),
                c(0.9 * surprise + 1.0 * fear + 0.5 * anger),
                c(0.8 * joy),
                c(0.3 * fear + 0.8 * anger),
                c(1.0 * disgust),
                c(0.8 * disgust),
                c(1.0 * joy),
                c(1.0 * contempt),
                c(0.9 * sad + 0.4 * disgust),
                c(0.4 * sad + 0.3 * anger + 0.3 * disgust),
                c(0.9 * fear),
                c(0.9 * anger),
                c(0.3 * joy + 0.8 * surprise + 0.6 * fear),
                c(0.8 * surprise + 0.3 * fear),
                c(blink));
    }

    private static double c(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
