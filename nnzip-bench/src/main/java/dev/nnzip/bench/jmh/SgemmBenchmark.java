package dev.nnzip.bench.jmh;

import dev.nnzip.kernels.Epilogue;
import dev.nnzip.kernels.KernelSupport;
import dev.nnzip.kernels.PackedB;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.kernels.Sgemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM throughput, {@code C[M×N] = A[M×K] · B[K×N]}, for the square 1024³ case and the skinny shapes of transformer
 * inference (M = 1 is a matrix-vector product, memory-bound; M = 32 a small batch), on 1 and 2 threads, with B packed
 * on every call ({@code multiply}) or packed once ahead ({@code multiplyPrepacked}, the constant-weights case).
 *
 * <p>Run (from the repository root):
 * <pre>
 * ./mvnw -q -B package -pl nnzip-bench -am -DskipTests
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp nnzip-bench/target/nnzip-bench.jar \
 *     org.openjdk.jmh.Main SgemmBenchmark
 * </pre>
 * Add {@code -p shape=1024x1024x1024 -p threads=1} to pick cases, {@code -wi 2 -i 3} for a quicker run. The
 * {@code ·flop} line is FLOP/s: divide by 1e9 for GFLOP/s. {@code -jvmArgsAppend -Dnnzip.kernels.scalar=true} measures
 * the scalar reference instead.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SgemmBenchmark {
    /** MxNxK. */
    @Param({"1024x1024x1024", "1x1024x1024", "32x1024x1024"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedB packed;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        Random r = new Random(1);
        a = random(r, m * k);
        b = random(r, k * n);
        c = new float[m * n];
        packed = Sgemm.pack(false, k, n, b, 0, n);
        parallel = threads == 1 ? Parallel.sequential() : new Parallel(threads);
        System.out.println("# " + KernelSupport.describe());
    }

    private static float[] random(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return x;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public float[] multiply(FlopCounter flops) {
        Sgemm.multiply(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, Epilogue.none(), parallel);
        flops.flop += 2L * m * n * k;
        return c;
    }

    @Benchmark
    public float[] multiplyPrepacked(FlopCounter flops) {
        Sgemm.multiply(false, m, 1f, a, 0, k, packed, 0f, c, 0, n, Epilogue.none(), parallel);
        flops.flop += 2L * m * n * k;
        return c;
    }
}
