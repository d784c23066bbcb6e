package dev.emotion.core.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of <em>who</em> someone is a model's features still carry: a linear classifier (the multinomial logistic
 * regression of {@link AuOracle}) learns participant ids from the penultimate features of half of each person's
 * frames and names the person of the other half. The halves are the first and the second half of each person's
 * frames in time (then the other way round), so the probe must recognise people across different expressions and
 * moments, not memorise neighbouring frames (participants with fewer than two frames are left out). Chance is one
 * over the number of participants. A model that reads expressions and ignores identity scores near chance; features
 * that encode the face itself score near 1.
 */
public final class IdentityProbe {

    /**
     * @param accuracy     share of frames whose participant the probe names correctly (both halves)
     * @param chance       1 / participants
     * @param participants how many people were probed
     * @param frames       how many frames
     */
    public record Result(double accuracy, double chance, int participants, int frames) {
    }

    private IdentityProbe() {
    }

    /**
     * @param participant the participant of each frame
     * @param time        each frame's position in time (e.g. video and timestamp folded into one long)
     * @param features    each frame's feature vector (same length for all)
     */
    public static Result measure(List<String> participant, long[] time, float[][] features) {
        int n = participant.size();
        if (time.length != n || features.length != n) {
            throw new IllegalArgumentException(n + " participants, " + time.length + " times, " + features.length
                    + " feature rows: one each per frame");
        }
        Map<String, List<Integer>> byPerson = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byPerson.computeIfAbsent(participant.get(i), k -> new ArrayList<>()).add(i);
        }
        byPerson.values().removeIf(idx -> idx.size() < 2); // one frame cannot be both learned and tested
        if (byPerson.size() < 2) {
            throw new IllegalArgumentException("the identity probe needs at least two participants with two frames "
                    + "each, got " + byPerson.keySet());
        }
        List<String> people = new ArrayList<>(byPerson.keySet());
        int probed = byPerson.values().stream().mapToInt(List::size).sum();
        List<AuOracle.Example> first = new ArrayList<>();
        List<AuOracle.Example> second = new ArrayList<>();
        for (int p = 0; p < people.size(); p++) {
            List<Integer> idx = new ArrayList<>(byPerson.get(people.get(p)));
            idx.sort(Comparator.comparingLong(i -> time[i]));
            int half = idx.size() / 2;
            for (int j = 0; j < idx.size(); j++) {
                (j < half ? first : second).add(new AuOracle.Example(people.get(p), toDouble(features[idx.get(j)]),
                        p));
            }
        }
        int correct = correct(first, second, people.size()) + correct(second, first, people.size());
        return new Result((double) correct / probed, 1.0 / people.size(), people.size(), probed);
    }

    private static int correct(List<AuOracle.Example> train, List<AuOracle.Example> test, int classes) {
        double[][] p = AuOracle.fitPredict(train, test, classes);
        int ok = 0;
        for (int i = 0; i < test.size(); i++) {
            ok += ClassificationMetrics.argMax(p[i]) == test.get(i).label() ? 1 : 0;
        }
        return ok;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
