package dev.nnzip.codec;

import dev.nnzip.kernels.Parallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuickRatioScratchTest {
    @Test
    void run() {
        int rows = 256, cols = 1024;
        float[] v = TestTensors.channelScaled(new float[rows * cols], cols, new SplittableRandom(1));
        float[] g = new float[rows * cols];
        TestTensors.fillGaussian(g, new SplittableRandom(2), 0.05);
        for (float[] data : new float[][] {g, v}) {
            for (double rel : new double[] {1e-3, 5e-3, 1e-2}) {
                StringBuilder sb = new StringBuilder("rel " + rel + ":");
                for (WeightCodec c : Codecs.all()) {
                    long t0 = System.nanoTime();
                    EncodedTensor t = c.encode("w", data, new int[] {rows, cols}, ErrorBound.relative(rel));
                    long t1 = System.nanoTime();
                    float[] d = c.decode(t, Parallel.sequential());
                    long t2 = System.nanoTime();
                    float[] ref = c.decoder(t, DecoderKind.REFERENCE).decodeAll(Parallel.sequential());
                    double maxErr = 0;
                    for (int i = 0; i < d.length; i++) {
                        maxErr = Math.max(maxErr, Math.abs((double) d[i] - data[i]));
                        if (Float.floatToRawIntBits(d[i]) != Float.floatToRawIntBits(ref[i])) throw new AssertionError(c.name() + " ref mismatch at " + i);
                    }
                    sb.append(String.format(" %s %.2fx (err %.3g / eb %.3g, enc %d ms, dec %d ms)", c.name(), t.ratio(), maxErr, t.absoluteBound(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000));
                }
                System.out.println(sb);
            }
            for (String s : dev.nnzip.codec.smartdnn.SmartDnnCodec.remappingReport(data, new int[] {rows, cols}, ErrorBound.relative(1e-2))) System.out.println("  " + s);
        }
    }
}
