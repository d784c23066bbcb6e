package dev.emotion.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The identity probe tells features that encode the person from features that encode only the expression: six
 * people, 40 frames each, 16 features; each frame shows one of 4 expressions, the same ones in both halves of a
 * person's frames.
 */
class IdentityProbeTest {

    static final int PEOPLE = 6;
    static final int FRAMES = 40;
    static final int DIM = 16;

    @Test
    void featuresThatCarryIdentityAreNamedAndFeaturesThatDoNotAreAtChance() {
        IdentityProbe.Result identity = probe(1.0, 1.0);
        IdentityProbe.Result expressionOnly = probe(0.0, 1.0);
        System.out.printf("identity probe: %.3f with a per-person offset, %.3f without (chance %.3f)%n",
                identity.accuracy(), expressionOnly.accuracy(), identity.chance());
        assertEquals(1.0 / PEOPLE, identity.chance(), 1e-9);
        assertEquals(PEOPLE * FRAMES, identity.frames());
        assertTrue(identity.accuracy() > 0.9, "per-person offsets should be found: " + identity.accuracy());
        assertTrue(expressionOnly.accuracy() < 2.0 / PEOPLE, "no identity in the features, yet the probe names "
                + expressionOnly.accuracy() + " of frames");
    }

    @Test
    void needsTwoPeopleWithTwoFramesEach() {
        assertThrows(IllegalArgumentException.class, () -> IdentityProbe.measure(List.of("a", "a", "b"),
                new long[] {0, 1, 2}, new float[][] {{1}, {2}, {3}}));
    }

    /** Frames = identity x person offset + expression pattern + noise. */
    private static IdentityProbe.Result probe(double identityWeight, double expressionWeight) {
        Random r = new Random(3);
        float[][] person = new float[PEOPLE][DIM];
        float[][] expression = new float[4][DIM];
        for (float[][] table : new float[][][] {person, expression}) {
            for (float[] row : table) {
                for (int j = 0; j < DIM; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
        }
        List<String> who = new ArrayList<>();
        long[] time = new long[PEOPLE * FRAMES];
        float[][] features = new float[PEOPLE * FRAMES][DIM];
        for (int p = 0; p < PEOPLE; p++) {
            for (int t = 0; t < FRAMES; t++) {
                int i = p * FRAMES + t;
                who.add("p" + p);
                time[i] = t;
                int e = (t / 5) % 4;
                for (int j = 0; j < DIM; j++) {
                    features[i][j] = (float) (identityWeight * person[p][j] + expressionWeight * expression[e][j]
                            + 0.5 * r.nextGaussian());
                }
            }
        }
        return IdentityProbe.measure(who, time, features);
    }
}
