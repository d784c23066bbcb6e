package dev.emotion.core.synth;

import dev.emotion.core.contract.Emotion;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What one participant feels and does over time, as continuous functions of time so that the rendered frames and
 * the ~25 Hz annotation rows agree: emotion episodes on a schedule shared by every participant (onset, hold,
 * offset, varying peak, on harder studies a second emotion mixed in), head pose as slow sums of sines, blinks,
 * look-aways and occlusions.
 */
public final class EmotionScript {

    /** An expression episode: emotion, peak intensity, start, and the onset / hold / offset durations (s). */
    record Episode(Emotion emotion, double peak, double start, double onset, double hold, double offset) {
        double at(double t) {
            double u = t - start;
            if (u <= 0 || u >= onset + hold + offset) {
                return 0;
            }
            if (u < onset) {
                return peak * smooth(u / onset);
            }
            if (u < onset + hold) {
                return peak;
            }
            return peak * (1 - smooth((u - onset - hold) / offset));
        }
    }

    /** An interval during which the face is hidden (look-away or occlusion), with how it is hidden. */
    record Event(double start, double end, boolean lookAway, double side) {
        boolean covers(double t) {
            return t >= start && t < end;
        }
    }

    private final double seconds;
    private final Difficulty difficulty;
    private final double expressivity;
    private final List<Episode> episodes = new ArrayList<>();
    private final List<Double> blinks = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final double[] poseFreq = new double[6];
    private final double[] posePhase = new double[6];
    private final double baseYaw;

    /** A script at the standard difficulty. */
    public EmotionScript(double seconds, Identity id, Random r) {
        this(seconds, id, Difficulty.STANDARD, r);
    }

    /**
     * Every participant follows the same schedule: the video is cut into {@link #blocks(double)} blocks of seven
     * equal slots, each block holds the seven emotions in a shuffled order, one episode per slot with a neutral
     * gap around it. So every emotion appears on every person at least twice a minute and who someone is says
     * nothing about what they feel.
     */
    public EmotionScript(double seconds, Identity id, Difficulty difficulty, Random r) {
        this.seconds = seconds;
        this.difficulty = difficulty;
        this.expressivity = id.expressivity();
        this.baseYaw = id.baseYaw();
        Emotion[] emotions = Emotion.values();
        int blocks = blocks(seconds);
        double slot = seconds / (blocks * emotions.length);
        for (int b = 0; b < blocks; b++) {
            List<Emotion> order = new ArrayList<>(List.of(emotions));
            java.util.Collections.shuffle(order, r);
            for (int k = 0; k < order.size(); k++) {
                double slotStart = (b * emotions.length + k) * slot;
                double length = slot * (0.66 + 0.14 * r.nextDouble());
                double start = slotStart + (slot - length) * r.nextDouble();
                double peak = difficulty.peakMin() + (difficulty.peakMax() - difficulty.peakMin()) * r.nextDouble();
                Episode main = new Episode(order.get(k), peak, start, 0.15 * length, 0.65 * length, 0.2 * length);
                episodes.add(main);
                if (r.nextDouble() < difficulty.mixedProbability()) {
                    Emotion second = emotions[r.nextInt(emotions.length)];
                    if (second != main.emotion()) {
                        episodes.add(new Episode(second, peak * (0.3 + 0.3 * r.nextDouble()),
                                start + 0.15 * length, 0.1 * length, 0.5 * length, 0.15 * length));
                    }
                }
            }
        }
        for (double b = r.nextDouble() * 3; b < seconds; b += 2 + r.nextDouble() * 4) {
            blinks.add(b);
        }
        double every = difficulty.hiddenEverySecond();
        for (double s = 0.3 * every + r.nextDouble() * 0.5 * every; s < seconds - 2;
             s += every * (0.55 + 0.9 * r.nextDouble())) {
            boolean lookAway = r.nextBoolean();
            // At most a third of a slot: a hidden face never swallows a whole episode (in a 20 s video a slot is
            // under 3 s, and a 1.8 s occlusion once left a person with two visible joy frames).
            double length = Math.min(0.6 + r.nextDouble() * 1.2, slot / 3);
            events.add(new Event(s, s + length, lookAway, r.nextBoolean() ? 1 : -1));
        }
        for (int i = 0; i < 6; i++) {
            poseFreq[i] = 0.03 + r.nextDouble() * 0.15;
            posePhase[i] = r.nextDouble() * Math.PI * 2;
        }
    }

    /** Blocks of seven episodes in a video of that length: at least two per minute, at least one. */
    public static int blocks(double seconds) {
        return Math.max(1, (int) Math.ceil(2 * seconds / 60 - 1e-9));
    }

    public Difficulty difficulty() {
        return difficulty;
    }

    public double seconds() {
        return seconds;
    }

    /**
     * Intensity of each emotion in [0, 1] at time t (s), in {@link Emotion} order, as drawn: the episode's intensity
     * times the person's expressivity. The renderer draws exactly this and the CSV reports exactly this.
     */
    public double[] emotions(double t) {
        double[] v = new double[Emotion.values().length];
        for (Episode e : episodes) {
            int i = e.emotion().ordinal();
            v[i] = Math.max(v[i], Math.min(1, e.at(t) * expressivity));
        }
        return v;
    }

    /** Eye closure in [0, 1]: 1 at the middle of a blink (~150 ms). */
    public double blink(double t) {
        for (double b : blinks) {
            double u = (t - b) / 0.15;
            if (u >= 0 && u <= 1) {
                return Math.sin(Math.PI * u);
            }
        }
        return 0;
    }

    /** Yaw in degrees; a look-away turns the head to about 55 degrees and back. */
    public double yaw(double t) {
        double p = difficulty.pose();
        double y = baseYaw + p * (14 * Math.sin(2 * Math.PI * poseFreq[0] * t + posePhase[0])
                + 6 * Math.sin(2 * Math.PI * poseFreq[1] * t + posePhase[1]));
        for (Event e : events) {
            if (e.lookAway() && t >= e.start() - 0.3 && t < e.end() + 0.3) {
                double u = Math.min(1, Math.min(t - (e.start() - 0.3), e.end() + 0.3 - t) / 0.3);
                y += e.side() * 50 * smooth(Math.max(0, u));
            }
        }
        return y;
    }

    public double roll(double t) {
        return difficulty.pose() * 7 * Math.sin(2 * Math.PI * poseFreq[2] * t + posePhase[2]);
    }

    public double pitch(double t) {
        return difficulty.pose() * 6 * Math.sin(2 * Math.PI * poseFreq[5] * t + posePhase[5]);
    }

    public double scale(double t) {
        return 1 + 0.08 * Math.sin(2 * Math.PI * poseFreq[3] * t + posePhase[3]);
    }

    public double driftX(double t) {
        return 0.04 * Math.sin(2 * Math.PI * poseFreq[4] * t + posePhase[4]);
    }

    /** The occlusion covering the face at t (a hand or object), or null. */
    public Event occlusion(double t) {
        for (Event e : events) {
            if (!e.lookAway() && e.covers(t)) {
                return e;
            }
        }
        return null;
    }

    /** True when an annotation tool would find no face: turned far away or covered. */
    public boolean faceHidden(double t) {
        return Math.abs(yaw(t)) > 40 || occlusion(t) != null;
    }

    /** Attention in [0, 1]: high when facing the camera, falling as the head turns away and while eyes close. */
    public double attention(double t) {
        double yaw = Math.abs(yaw(t));
        double a = 1 - Math.min(1, Math.max(0, (yaw - 8) / 45));
        return Math.max(0, Math.min(1, a * (1 - 0.5 * blink(t))));
    }

    static double smooth(double u) {
        u = Math.max(0, Math.min(1, u));
        return u * u * (3 - 2 * u);
    }
}
