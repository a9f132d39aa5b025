package dev.nnzip.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH auxiliary counter of floating-point operations: in throughput mode JMH reports it as {@code ·flop} in ops/s (a
 * rate, like the primary score), i.e. FLOP/s (divide by 1e9 for GFLOP/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    public long flop;

    @Setup(Level.Iteration)
    public void reset() {
        flop = 0;
    }
}
