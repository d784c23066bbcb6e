package dev.emotion.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise (logs, CI).
 */
final class ProgressBar {

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private long lastShown = -1;

    ProgressBar(String label, long total, String unit) {
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
    }

    synchronized void update(long done, String note) {
        long now = System.nanoTime();
        int decile = (int) Math.min(10, done * 10 / total);
        if (terminal ? now - lastDraw < 100_000_000L && done < total : decile == lastDecile) {
            return;
        }
        lastDraw = now;
        lastDecile = decile;
        lastShown = done;
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        int width = 30;
        int filled = (int) Math.min(width, done * width / total);
        double rate = done / seconds;
        String speed = rate >= 10 ? String.format(Locale.ROOT, "%.0f %s/s", rate, unit)
                : String.format(Locale.ROOT, "%.0f s/%s", rate > 0 ? 1 / rate : 0, unit.replaceAll("s$", ""));
        String line = String.format(Locale.ROOT, "%-14s [%s%s] %3d%% %d/%d %s %s%s", label,
                "#".repeat(filled), ".".repeat(width - filled), Math.min(100, done * 100 / total), done, total, unit,
                speed, note == null ? "" : "  " + note);
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
    }

    synchronized void finish(long done, String note) {
        if (terminal || done != lastShown) {
            lastDecile = -1;
            lastDraw = 0;
            update(done, note);
        }
        if (terminal) {
            out.println();
        }
    }
}
