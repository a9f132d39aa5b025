package dev.nnzip.ops.tensor;

import dev.nnzip.kernels.Parallel;
import dev.nnzip.ops.ExecContext;

/**
 * Splits a data-movement loop over the session's threads only when it is big enough to pay for the hand-off. The ops
 * here are memory-bound, so the bar is a few tens of thousands of elements per task, not a count of operations.
 */
final class Work {
    /** Elements per task below which splitting costs more than it saves. */
    static final int MIN_ELEMENTS_PER_TASK = 1 << 15;

    private Work() {
    }

    /** Runs {@code body} over {@code [0, tasks)}, each task moving about {@code elementsPerTask} elements. */
    static void split(ExecContext ctx, int tasks, int elementsPerTask, Parallel.RangeBody body) {
        if (tasks <= 0) {
            return;
        }
        int perTask = Math.max(1, elementsPerTask);
        if (ctx == null || ctx.parallel().threads() == 1 || (long) tasks * perTask < 2L * MIN_ELEMENTS_PER_TASK) {
            body.run(0, tasks);
            return;
        }
        ctx.parallel().forRange(tasks, Math.max(1, MIN_ELEMENTS_PER_TASK / perTask), body);
    }
}
