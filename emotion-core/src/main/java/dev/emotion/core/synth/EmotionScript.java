package dev.emotion.core.synth;

import dev.emotion.core.contract.Emotion;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What one participant feels and does over time, as continuous functions of time so that the rendered frames and
 * the ~25 Hz annotation rows agree: emotion intensities from overlapping episodes (onset, hold, offset, varying
 * peak, sometimes a second emotion mixed in), head pose as slow sums of sines, blinks, look-aways and occlusions.
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
    private final List<Episode> episodes = new ArrayList<>();
    private final List<Double> blinks = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final double[] poseFreq = new double[6];
    private final double[] posePhase = new double[6];
    private final double baseYaw;

    public EmotionScript(double seconds, Identity id, Random r) {
        this.seconds = seconds;
        this.baseYaw = id.baseYaw();
        // Each participant has their own base rates: some smile a lot, some frown; neutral stretches in between.
        double[] rate = new double[Emotion.values().length];
        for (int i = 0; i < rate.length; i++) {
            rate[i] = 0.4 + r.nextDouble();
        }
        rate[Emotion.JOY.ordinal()] += 0.6;
        double t = r.nextDouble() * 1.5;
        while (t < seconds) {
            Emotion e = pick(rate, r);
            double peak = 0.35 + r.nextDouble() * 0.65;
            double onset = 0.3 + r.nextDouble() * 0.8;
            double hold = 0.8 + r.nextDouble() * 3.0;
            double offset = 0.4 + r.nextDouble() * 1.0;
            episodes.add(new Episode(e, peak, t, onset, hold, offset));
            if (r.nextDouble() < 0.3) {
                Emotion second = pick(rate, r);
                if (second != e) {
                    episodes.add(new Episode(second, peak * (0.4 + r.nextDouble() * 0.5),
                            t + r.nextDouble() * hold, onset, hold * 0.7, offset));
                }
            }
            t += onset + hold + offset + r.nextDouble() * 2.5; // neutral gap (sometimes ~0: back-to-back)
        }
        for (double b = r.nextDouble() * 3; b < seconds; b += 2 + r.nextDouble() * 4) {
            blinks.add(b);
        }
        for (double s = 6 + r.nextDouble() * 10; s < seconds - 2; s += 12 + r.nextDouble() * 20) {
            boolean lookAway = r.nextBoolean();
            events.add(new Event(s, s + 0.6 + r.nextDouble() * 1.2, lookAway, r.nextBoolean() ? 1 : -1));
        }
        for (int i = 0; i < 6; i++) {
            poseFreq[i] = 0.03 + r.nextDouble() * 0.15;
            posePhase[i] = r.nextDouble() * Math.PI * 2;
        }
    }

    public double seconds() {
        return seconds;
    }

    /** Intensity of each emotion in [0, 1] at time t (s), in {@link Emotion} order. */
    public double[] emotions(double t) {
        double[] v = new double[Emotion.values().length];
        for (Episode e : episodes) {
            int i = e.emotion().ordinal();
            v[i] = Math.max(v[i], e.at(t));
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
        double y = baseYaw + 14 * Math.sin(2 * Math.PI * poseFreq[0] * t + posePhase[0])
                + 6 * Math.sin(2 * Math.PI * poseFreq[1] * t + posePhase[1]);
        for (Event e : events) {
            if (e.lookAway() && t >= e.start() - 0.3 && t < e.end() + 0.3) {
                double u = Math.min(1, Math.min(t - (e.start() - 0.3), e.end() + 0.3 - t) / 0.3);
                y += e.side() * 50 * smooth(Math.max(0, u));
            }
        }
        return y;
    }

    public double roll(double t) {
        return 7 * Math.sin(2 * Math.PI * poseFreq[2] * t + posePhase[2]);
    }

    public double pitch(double t) {
        return 6 * Math.sin(2 * Math.PI * poseFreq[5] * t + posePhase[5]);
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

    private static Emotion pick(double[] rate, Random r) {
        double total = 0;
        for (double x : rate) {
            total += x;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < rate.length; i++) {
            u -= rate[i];
            if (u <= 0) {
                return Emotion.values()[i];
            }
        }
        return Emotion.values()[rate.length - 1];
    }
}
