package dev.nnzip.bench.jmh;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.kernels.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole-tensor decode throughput per codec, in MB/s of FP32 output: one operation is one output byte
 * ({@link OperationsPerInvocation} = 4 × values) and the unit is ops/µs, so the score reads directly as MB/s (10^6 B/s).
 * The tensor is 4 Mi values of N(0, 0.05²) in rows of 4096, encoded once per trial; blocks are the default 64 Ki values,
 * decoded in parallel over {@code threads}. {@code codec} is a codec spec, e.g. {@code -p codec=smartdnn:rowsteps=true}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CodecBenchmark {
    private static final int ROWS = 1024;
    private static final int COLS = 4096;
    private static final int VALUES = ROWS * COLS;

    @Param({"smartdnn", "sz", "uniform", "lossless"})
    public String codec;

    @Param({"1e-3", "1e-2"})
    public double relativeBound;

    @Param({"1", "2"})
    public int threads;

    private TensorDecoder decoder;
    private Parallel parallel;
    private float[] out;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        float[] values = new float[VALUES];
        for (int i = 0; i < VALUES; i++) {
            values[i] = (float) (0.05 * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI
                    * r.nextDouble()));
        }
        EncodedTensor t = Codecs.configure(codec).encode("bench", values, new int[] {ROWS, COLS},
                ErrorBound.relative(relativeBound));
        decoder = Codecs.decoder(t);
        parallel = new Parallel(threads);
        out = new float[VALUES];
        System.out.printf("%n%s at rel %s: ratio %.2f%n", codec, relativeBound, t.ratio());
    }

    @TearDown
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    @OperationsPerInvocation(4 * VALUES)
    public float[] decode() {
        decoder.decodeAll(out, 0, parallel);
        return out;
    }
}
