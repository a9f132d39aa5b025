package dev.nnzip.bench.jmh;

import dev.nnzip.kernels.Activation;
import dev.nnzip.kernels.ConvGeometry;
import dev.nnzip.kernels.Convolution;
import dev.nnzip.kernels.KernelSupport;
import dev.nnzip.kernels.Parallel;
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
 * Convolution throughput on two ResNet/MobileNet-style layers, batch 1, with bias and ReLU fused:
 * <ul>
 *   <li>{@code conv3x3}: 64 → 64 channels, 3×3, pad 1, on 56×56 (im2col + SGEMM, 0.23 GFLOP per image);</li>
 *   <li>{@code depthwise3x3}: 128 channels, 3×3 depthwise, pad 1, on 28×28 (the direct depthwise kernel).</li>
 * </ul>
 * Run as {@link SgemmBenchmark} says, with {@code org.openjdk.jmh.Main ConvBenchmark}. {@code ·flop} is FLOP/s
 * (2 per multiply-add of the convolution proper).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBenchmark {
    @Param({"1", "2"})
    public int threads;

    private Layer conv;
    private Layer depthwise;
    private Parallel parallel;

    /** One layer's geometry and buffers. */
    private record Layer(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y, long flops) {
        static Layer of(ConvGeometry g, Random r) {
            long flops = 2L * g.batch() * g.outChannels() * g.outPlane() * g.columnRows();
            return new Layer(g, random(r, g.batch() * g.inChannels() * g.inPlane()),
                    random(r, g.outChannels() * g.columnRows()), random(r, g.outChannels()),
                    new float[g.batch() * g.outChannels() * g.outPlane()], flops);
        }

        void run(Parallel par) {
            Convolution.forward(g, x, w, bias, Activation.relu(), y, par);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        int[] one = {1, 1};
        conv = Layer.of(ConvGeometry.of(1, 64, 64, 1, new int[] {56, 56}, new int[] {3, 3}, one, one, one, one,
                new int[] {56, 56}), r);
        depthwise = Layer.of(ConvGeometry.of(1, 128, 128, 128, new int[] {28, 28}, new int[] {3, 3}, one, one, one,
                one, new int[] {28, 28}), r);
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
    public float[] conv3x3(FlopCounter flops) {
        conv.run(parallel);
        flops.flop += conv.flops();
        return conv.y();
    }

    @Benchmark
    public float[] depthwise3x3(FlopCounter flops) {
        depthwise.run(parallel);
        flops.flop += depthwise.flops();
        return depthwise.y();
    }
}
