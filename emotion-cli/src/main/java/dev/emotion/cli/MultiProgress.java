package dev.emotion.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several progress bars at once on stderr (one per video in flight) and an overall one below them. On a terminal the
 * block is redrawn in place with ANSI cursor moves, at most ten times a second, and a finished bar is printed once
 * above the block; elsewhere (logs, CI) a bar prints a line at every quarter and when it finishes, the overall bar
 * at every tenth. Written here because ProgressBar draws one line only and the usual Java progress-bar libraries
 * draw one bar per line without a shared block.
 */
final class MultiProgress {

    /** One bar; updates are thread-safe through the owner. */
    final class Bar {
        final String label;
        final long total;
        final long started = System.nanoTime();
        long done;
        String note = "";
        int lastQuarter = -1;

        private Bar(String label, long total) {
            this.label = label;
            this.total = Math.max(1, total);
        }

        void update(long done, String note) {
            synchronized (MultiProgress.this) {
                long delta = done - this.done;
                this.done = done;
                this.note = note == null ? "" : note;
                overallDone += delta;
                if (!terminal) {
                    int quarter = (int) Math.min(4, done * 4 / total);
                    if (quarter != lastQuarter && quarter < 4) {
                        lastQuarter = quarter;
                        out.println(line(this));
                    }
                    overallLine();
                    return;
                }
                redraw(false);
            }
        }

        /** Ends the bar with its final count (the estimate made from the header may be off by a few frames). */
        void finish(long done, String note) {
            synchronized (MultiProgress.this) {
                overallDone += done - this.done;
                overallTotal += done - total;
                this.done = done;
                this.note = note == null ? "" : note;
                live.remove(this);
                if (terminal) {
                    clearBlock();
                    out.println(line(this, done));
                    redraw(true);
                } else {
                    out.println(line(this, done));
                    overallLine();
                }
            }
        }
    }

    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    private final List<Bar> live = new ArrayList<>();
    private final String unit;
    private final long started = System.nanoTime();
    private long overallTotal;
    private long overallDone;
    private int drawnLines;
    private long lastDraw;
    private int lastTenth = -1;

    MultiProgress(long overallTotal, String unit) {
        this.overallTotal = Math.max(1, overallTotal);
        this.unit = unit;
    }

    synchronized Bar add(String label, long total) {
        Bar b = new Bar(label, total);
        live.add(b);
        if (terminal) {
            redraw(true);
        }
        return b;
    }

    /** Clears the live block (call once at the end, before printing a summary). */
    synchronized void close() {
        if (terminal) {
            clearBlock();
            out.println(overall());
        } else {
            out.println(overall());
        }
    }

    private void overallLine() {
        int tenth = (int) Math.min(10, overallDone * 10 / Math.max(1, overallTotal));
        if (tenth != lastTenth) {
            lastTenth = tenth;
            out.println(overall());
        }
    }

    private void redraw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        clearBlock();
        for (Bar b : live) {
            out.println(line(b));
        }
        out.println(overall());
        drawnLines = live.size() + 1;
        out.flush();
    }

    private void clearBlock() {
        if (drawnLines > 0) {
            out.print("\033[" + drawnLines + "A");
            for (int i = 0; i < drawnLines; i++) {
                out.print("\033[2K\n");
            }
            out.print("\033[" + drawnLines + "A");
            drawnLines = 0;
        }
    }

    private String overall() {
        return render("all videos", overallDone, overallTotal, started, "");
    }

    private String line(Bar b) {
        return line(b, b.done);
    }

    private String line(Bar b, long done) {
        return render(b.label, done, Math.max(b.total, done), b.started, b.note);
    }

    private String render(String label, long done, long total, long since, String note) {
        double seconds = Math.max(1e-3, (System.nanoTime() - since) / 1e9);
        int width = 24;
        long t = Math.max(1, total);
        int filled = (int) Math.min(width, done * width / t);
        String shown = label.length() > 22 ? "..." + label.substring(label.length() - 19) : label;
        return String.format(Locale.ROOT, "%-22s [%s%s] %3d%% %d/%d %s %.1f %s/s%s", shown, "#".repeat(filled),
                ".".repeat(width - filled), Math.min(100, done * 100 / t), done, total, unit, done / seconds, unit,
                note.isEmpty() ? "" : "  " + note);
    }
}
