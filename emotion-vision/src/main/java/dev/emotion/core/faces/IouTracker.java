package dev.emotion.core.faces;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives each face a {@code faceId} that stays the same from frame to frame: a detection continues the track whose
 * last box it overlaps most (IoU at least the threshold, greedy, best pairs first); others start new tracks. A track
 * unseen for more than {@code maxMissed} sampled frames ends, and its id is never reused.
 */
public final class IouTracker {

    private record Track(int id, Detection last, int missed) {
    }

    private final float iouThreshold;
    private final int maxMissed;
    private List<Track> tracks = new ArrayList<>();
    private int nextId;

    public IouTracker(float iouThreshold, int maxMissed) {
        this.iouThreshold = iouThreshold;
        this.maxMissed = maxMissed;
    }

    /** @return the face id of each detection, in the order given */
    public int[] assign(List<Detection> detections) {
        int[] ids = new int[detections.size()];
        java.util.Arrays.fill(ids, -1);
        boolean[] trackUsed = new boolean[tracks.size()];
        List<float[]> pairs = new ArrayList<>(); // {iou, detection, track}
        for (int d = 0; d < detections.size(); d++) {
            for (int t = 0; t < tracks.size(); t++) {
                float iou = detections.get(d).iou(tracks.get(t).last());
                if (iou >= iouThreshold) {
                    pairs.add(new float[] {iou, d, t});
                }
            }
        }
        pairs.sort((a, b) -> Float.compare(b[0], a[0]));
        for (float[] p : pairs) {
            int d = (int) p[1];
            int t = (int) p[2];
            if (ids[d] < 0 && !trackUsed[t]) {
                ids[d] = tracks.get(t).id();
                trackUsed[t] = true;
            }
        }
        List<Track> next = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Track old = tracks.get(t);
            if (!trackUsed[t] && old.missed() + 1 <= maxMissed) {
                next.add(new Track(old.id(), old.last(), old.missed() + 1));
            }
        }
        for (int d = 0; d < detections.size(); d++) {
            if (ids[d] < 0) {
                ids[d] = nextId++;
            }
            next.add(new Track(ids[d], detections.get(d), 0));
        }
        tracks = next;
        return ids;
    }
}
