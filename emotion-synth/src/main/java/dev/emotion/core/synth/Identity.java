package dev.emotion.core.synth;

import java.awt.Color;
import java.util.Random;

/**
 * One synthetic participant's look: proportions in face-relative units, colours, accessories, and how strongly
 * they show emotion (so identities differ in what the same score looks like).
 */
public record Identity(String participantId, double faceAspect, double jawWidth, double eyeSpacing, double eyeSize,
                       double noseLength, double mouthWidth, double browThickness, Color skin, Color hair,
                       int hairStyle, Color iris, Color shirt, boolean glasses, boolean stubble,
                       double expressivity, double baseYaw, boolean female) {

    private static final Color[] SKINS = {new Color(255, 224, 196), new Color(241, 194, 125),
            new Color(224, 172, 105), new Color(198, 134, 66), new Color(141, 85, 36), new Color(92, 56, 30),
            new Color(234, 192, 160)};
    private static final Color[] HAIRS = {new Color(20, 16, 14), new Color(60, 40, 25), new Color(110, 75, 40),
            new Color(180, 140, 80), new Color(150, 60, 30), new Color(120, 120, 120), new Color(35, 30, 30)};
    private static final Color[] IRISES = {new Color(70, 45, 25), new Color(40, 90, 140), new Color(60, 110, 60),
            new Color(100, 70, 40), new Color(90, 110, 130)};

    public static Identity random(String participantId, Random r) {
        return new Identity(participantId,
                1.22 + r.nextDouble() * 0.18,
                0.70 + r.nextDouble() * 0.2,
                0.36 + r.nextDouble() * 0.08,
                0.9 + r.nextDouble() * 0.25,
                0.9 + r.nextDouble() * 0.25,
                0.85 + r.nextDouble() * 0.3,
                0.7 + r.nextDouble() * 0.6,
                SKINS[r.nextInt(SKINS.length)],
                HAIRS[r.nextInt(HAIRS.length)],
                r.nextInt(4),
                IRISES[r.nextInt(IRISES.length)],
                Color.getHSBColor(r.nextFloat(), 0.3f + r.nextFloat() * 0.4f, 0.3f + r.nextFloat() * 0.5f),
                r.nextDouble() < 0.35,
                r.nextDouble() < 0.3,
                0.85 + r.nextDouble() * 0.25,
                (r.nextDouble() - 0.5) * 12,
                r.nextBoolean());
    }
}
