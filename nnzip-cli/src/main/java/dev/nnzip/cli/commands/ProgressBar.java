package dev.nnzip.cli.commands;

import java.io.PrintStream;

/** A one-line progress bar on stderr for long runs; silent when there is no stream (JSON output, tests). */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();
    private boolean drawn;

    ProgressBar(PrintStream out, String label) {
        this.out = System.console() == null ? null : out;
        this.label = label;
    }

    void update(int done, int total, String item) {
        if (out == null || total <= 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        out.printf("\r%s [%s%s] %d/%d %.1fs %-40s", label, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total,
                (System.nanoTime() - start) / 1e9, Format.abbreviate(item, 40));
        drawn = true;
    }

    void finish() {
        if (out != null && drawn) {
            out.print("\r" + " ".repeat(WIDTH + 100) + "\r");
        }
    }
}
