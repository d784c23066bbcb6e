package dev.emotion.core.synth;

/**
 * How hard a synthetic study is to read: the range of drawn peak intensities, how far heads turn and roll, how
 * often the face is hidden, how often a second emotion is mixed into an episode, and whether the lighting changes
 * within a video.
 *
 * @param peakMin           lowest drawn peak intensity of an episode (before the person's expressivity)
 * @param peakMax           highest drawn peak intensity
 * @param pose              multiplier on yaw, roll and pitch amplitudes (1 = yaw about +-20, roll +-7 degrees)
 * @param hiddenEverySecond mean seconds between look-aways / occlusions
 * @param mixedProbability  chance that an episode has a second, weaker emotion mixed in
 * @param lightingChanges   whether brightness and light direction drift strongly within a video
 */
public record Difficulty(String name, double peakMin, double peakMax, double pose, double hiddenEverySecond,
                         double mixedProbability, boolean lightingChanges) {

    public static final Difficulty STANDARD = new Difficulty("standard", 0.7, 1.0, 1.0, 22, 0, false);
    public static final Difficulty HARD = new Difficulty("hard", 0.5, 0.85, 1.6, 10, 0.35, true);

    public Difficulty {
        if (!(peakMin > 0 && peakMin <= peakMax && peakMax <= 1)) {
            throw new IllegalArgumentException("peak intensities must satisfy 0 < peakMin <= peakMax <= 1; got "
                    + peakMin + ".." + peakMax);
        }
        if (!(pose >= 0 && pose <= 3) || !(hiddenEverySecond >= 2) || !(mixedProbability >= 0
                && mixedProbability <= 1)) {
            throw new IllegalArgumentException("pose in [0, 3], hiddenEverySecond >= 2 and mixedProbability in "
                    + "[0, 1] needed; got " + pose + ", " + hiddenEverySecond + ", " + mixedProbability);
        }
    }
}
