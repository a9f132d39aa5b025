package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.quant.QuantCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Ratios of every codec on weight-like tensors at the relative bounds the accuracy tuner works with, printed as a table,
 * with the properties that must hold between them.
 */
class CompressionRatioReportTest {
    private static final double[] BOUNDS = {1e-3, 5e-3, 1e-2};

    /** A tensor with a name and shape. */
    record Layer(String name, int[] shape, float[] values) {
    }

    /**
     * Gaussian rows whose scales are log-normal (σ_row = 0.05·e^{0.5·N}) and whose means are small and random: what the
     * output channels of trained conv and linear layers look like (their per-channel ranges differ by several times,
     * the reason per-channel int8 beats per-tensor int8).
     */
    static List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer("conv 64x(32x3x3)", new int[] {64, 288}, rows(64, 288, 0.5, 1)));
        layers.add(new Layer("linear 512x1024", new int[] {512, 1024}, rows(512, 1024, 0.5, 2)));
        layers.add(new Layer("linear 256x4096, wide scales", new int[] {256, 4096}, rows(256, 4096, 0.9, 3)));
        float[] iid = new float[1 << 19];
        TestTensors.fillGaussian(iid, new SplittableRandom(4), 0.05);
        layers.add(new Layer("iid Gaussian 512x1024", new int[] {512, 1024}, iid));
        return layers;
    }

    static float[] rows(int rows, int cols, double logSpread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int row = 0; row < rows; row++) {
            double sigma = 0.05 * Math.exp(logSpread * TestTensors.gaussian(r));
            double mean = 0.1 * sigma * TestTensors.gaussian(r);
            for (int i = row * cols; i < (row + 1) * cols; i++) {
                v[i] = (float) (mean + sigma * TestTensors.gaussian(r));
            }
        }
        return v;
    }

    @Test
    void ratiosPerCodecAndBound() {
        StringBuilder table = new StringBuilder(String.format("%n%-30s %-6s", "layer", "rel"));
        for (String codec : Codecs.names()) {
            table.append(String.format(" %9s", codec));
        }
        table.append(String.format(" %9s %9s%n", "H(ids)", "huff/H"));
        for (Layer layer : layers()) {
            for (double rel : BOUNDS) {
                Map<String, Double> ratio = new LinkedHashMap<>();
                Map<String, EncodedTensor> encoded = new LinkedHashMap<>();
                for (String name : Codecs.names()) {
                    EncodedTensor t = CodecAssertions.assertRoundTrip(Codecs.byName(name), layer.values(),
                            layer.shape(), ErrorBound.relative(rel), EncodedTensor.DEFAULT_BLOCK_VALUES);
                    ratio.put(name, t.ratio());
                    encoded.put(name, t);
                }
                // The ideal (order-0 entropy) size of uniform's bin ids: what any entropy coder of them could reach.
                double entropyBits = idEntropyBits(layer.values(), encoded.get("uniform").absoluteBound());
                double uniformBits = 8.0 * encoded.get("uniform").encodedBytes();
                table.append(String.format("%-30s %-6s", layer.name(), rel));
                ratio.values().forEach(x -> table.append(String.format(" %8.2fx", x)));
                table.append(String.format(" %8.2fx %9.4f%n", 32.0 * layer.values().length / entropyBits,
                        uniformBits / entropyBits));

                for (String lossy : List.of("smartdnn", "sz", "uniform")) {
                    assertThat(ratio.get(lossy)).as(lossy + " vs lossless").isGreaterThan(ratio.get("lossless"));
                }
                // The remapping search includes the uniform-equivalent candidate, so smartdnn is never notably worse.
                assertThat(ratio.get("smartdnn")).as("smartdnn vs uniform").isGreaterThan(0.99 * ratio.get("uniform"));
                // Huffman + headers stay within 3 % of the ids' entropy (a better entropy coder could gain at most that).
                assertThat(uniformBits).as("uniform bits vs entropy").isLessThan(1.03 * entropyBits);
            }
        }
        System.out.println(table);
    }

    /** Weights with distinct per-row scales are where smartdnn's per-channel scale classes pay. */
    @Test
    void smartdnnBeatsUniformOnChannelScaledWeights() {
        Layer layer = layers().get(2);
        for (double rel : BOUNDS) {
            double smart = Codecs.byName("smartdnn").encode("w", layer.values(), layer.shape(),
                    ErrorBound.relative(rel)).ratio();
            double uniform = Codecs.byName("uniform").encode("w", layer.values(), layer.shape(),
                    ErrorBound.relative(rel)).ratio();
            assertThat(smart).as("at rel %s", rel).isGreaterThan(1.02 * uniform);
        }
    }

    private static double idEntropyBits(float[] values, double eb) {
        float step = QuantCodes.step(eb);
        Map<Long, Integer> counts = new java.util.HashMap<>();
        for (float w : values) {
            counts.merge(Math.round((double) w / step), 1, Integer::sum);
        }
        double bits = 0;
        for (int c : counts.values()) {
            bits -= c * Math.log((double) c / values.length) / Math.log(2);
        }
        return bits;
    }
}
