package dev.emotion.core.contract;

import dev.emotion.core.contract.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Participant-level splits: every participant's frames go to exactly one split, so no face is seen in training and
 * in testing. Deterministic from the seed and independent of the order participants are listed in.
 */
public final class ParticipantSplits {

    private ParticipantSplits() {
    }

    /**
     * Shuffles the participants with the seed and cuts them by the ratios (default 3:1:1). Every split gets at least
     * one participant when there are three or more.
     */
    public static Map<String, Split> assign(List<String> participants, long seed, int train, int val, int test) {
        if (train < 1 || val < 0 || test < 0) {
            throw new IllegalArgumentException("split ratios must be train >= 1, val >= 0, test >= 0; got "
                    + train + ":" + val + ":" + test);
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(participants));
        Collections.shuffle(ids, new Random(seed));
        int n = ids.size();
        int total = train + val + test;
        int nVal = val == 0 ? 0 : Math.max(n >= 3 ? 1 : 0, (int) Math.round((double) n * val / total));
        int nTest = test == 0 ? 0 : Math.max(n >= 3 ? 1 : 0, (int) Math.round((double) n * test / total));
        if (nVal + nTest >= n) {
            nTest = Math.max(0, Math.min(nTest, n - 1 - nVal));
            nVal = Math.max(0, Math.min(nVal, n - 1 - nTest));
        }
        Map<String, Split> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(ids.get(i), i < nTest ? Split.TEST : i < nTest + nVal ? Split.VAL : Split.TRAIN);
        }
        return m;
    }

    /**
     * Participant-grouped K-fold: the participants (sorted, duplicates dropped) shuffled with the seed and dealt
     * round-robin into {@code k} groups, each sorted; {@code k} >= participants gives one participant per group.
     * Training-service, the AU oracle and the benchmarks use this one rule, so they agree on the folds.
     */
    public static List<List<String>> groupedFolds(java.util.Collection<String> participants, int k, long seed) {
        List<String> people = new java.util.ArrayList<>(new java.util.TreeSet<>(participants));
        java.util.Collections.shuffle(people, new java.util.Random(seed));
        int folds = Math.min(k, people.size());
        List<List<String>> out = new java.util.ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<String> g = new java.util.ArrayList<>();
            for (int i = f; i < people.size(); i += folds) {
                g.add(people.get(i));
            }
            java.util.Collections.sort(g);
            out.add(List.copyOf(g));
        }
        return out;
    }

    /** Leave-one-participant-out fold of each participant: its index in sorted order. */
    public static Map<String, Integer> lopoFolds(List<String> participants) {
        Map<String, Integer> m = new LinkedHashMap<>();
        int i = 0;
        for (String p : new TreeSet<>(participants)) {
            m.put(p, i++);
        }
        return m;
    }

    /**
     * The split of a participant ingested on its own, when the study's full list is not known: a stable hash of
     * seed and id, train:val:test = 3:1:1 in expectation (exact ratios need the whole list, see {@link #assign}).
     */
    public static Split forOne(String participantId, long seed) {
        long h = new java.util.SplittableRandom(seed ^ participantId.hashCode() * 0x9E3779B97F4A7C15L).nextLong();
        int slot = (int) Math.floorMod(h, 5L);
        return slot < 3 ? Split.TRAIN : slot == 3 ? Split.VAL : Split.TEST;
    }
}
