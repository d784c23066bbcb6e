package dev.emotion.core.synth;

import java.util.Arrays;
import java.util.Locale;

/**
 * Named study sizes and difficulties for {@code ./emotion synth --preset}: every value can still be overridden by
 * its own flag. docs/synthetic-study.md lists what each one measures (margins, balance, the AU-oracle ceiling).
 */
public enum SynthPreset {
    /** The quick demo and the tests: small but with every emotion on every person. */
    QUICK(6, 20, Difficulty.STANDARD),
    /** The default: enough people for a 3:1:1 split with two validation participants. */
    STANDARD(10, 60, Difficulty.STANDARD),
    /** The leaderboard's study: 20 people x 90 s. */
    BENCHMARK(20, 90, Difficulty.STANDARD),
    /** benchmark's size with wider poses, more occlusions, mixed emotions, lighting changes, lower intensities. */
    HARD(20, 90, Difficulty.HARD);

    private final int participants;
    private final double seconds;
    private final Difficulty difficulty;

    SynthPreset(int participants, double seconds, Difficulty difficulty) {
        this.participants = participants;
        this.seconds = seconds;
        this.difficulty = difficulty;
    }

    public int participants() {
        return participants;
    }

    public double seconds() {
        return seconds;
    }

    public Difficulty difficulty() {
        return difficulty;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The preset of that name, or an error listing the valid ones. */
    public static SynthPreset of(String name) {
        for (SynthPreset p : values()) {
            if (p.label().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (valid: "
                + String.join(", ", Arrays.stream(values()).map(SynthPreset::label).toList()) + ")");
    }
}
