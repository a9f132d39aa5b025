package dev.nnzip.codec.entropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HuffmanTest {
    @Test
    void dyadicFrequenciesGetTheirExactLengths() {
        long[] freq = {8, 4, 2, 1, 1};
        byte[] lengths = HuffmanLengths.compute(freq, HuffmanCode.MAX_LENGTH);
        assertThat(lengths).containsExactly(1, 2, 3, 4, 4);
    }

    @Test
    void unusedSymbolsGetNoCodeAndASingleSymbolGetsOneBit() {
        assertThat(HuffmanLengths.compute(new long[] {0, 0, 0}, 15)).containsExactly(0, 0, 0);
        assertThat(HuffmanLengths.compute(new long[] {0, 9, 0}, 15)).containsExactly(0, 1, 0);
        assertThat(HuffmanLengths.compute(new long[] {0, 9, 0, 1}, 15)).containsExactly(0, 1, 0, 1);
    }

    @Test
    void fibonacciFrequenciesAreLimitedToMaxLengthAndStayComplete() {
        // Fibonacci weights give the deepest possible Huffman tree: 30 symbols would need 29-bit codes unlimited.
        long[] freq = new long[30];
        freq[0] = 1;
        freq[1] = 1;
        for (int i = 2; i < freq.length; i++) {
            freq[i] = freq[i - 1] + freq[i - 2];
        }
        byte[] lengths = HuffmanLengths.compute(freq, 15);
        double kraft = 0;
        for (byte l : lengths) {
            assertThat((int) l).isBetween(1, 15);
            kraft += Math.pow(2, -l);
        }
        assertThat(kraft).isEqualTo(1.0);
        // More frequent symbols never get longer codes.
        for (int i = 1; i < lengths.length; i++) {
            assertThat(lengths[i]).isLessThanOrEqualTo(lengths[i - 1]);
        }
    }

    @Test
    void costIsCloseToTheEntropy() {
        SplittableRandom r = new SplittableRandom(3);
        long[] freq = new long[4096];
        long total = 0;
        for (int i = 0; i < 1_000_000; i++) {
            int s = (int) Math.max(0, Math.min(4095, Math.round(2048 + 150 * gaussian(r))));
            freq[s]++;
            total++;
        }
        double entropyBits = 0;
        for (long f : freq) {
            if (f > 0) {
                entropyBits -= f * Math.log((double) f / total) / Math.log(2);
            }
        }
        long cost = HuffmanCode.forFrequencies(freq).cost(freq);
        assertThat((double) cost).isGreaterThanOrEqualTo(entropyBits);
        // For a smooth 9-bit-entropy histogram, length-limited Huffman is within ~0.05 bit per symbol (0.55 % here).
        assertThat(cost / entropyBits).as("Huffman bits / entropy").isLessThan(1.01);
    }

    @Property(tries = 200)
    void fastAndReferenceDecodersAgreeWithTheEncodedSymbols(@ForAll @IntRange(min = 1, max = 70000) int alphabet,
                                                             @ForAll @IntRange(min = 0, max = 5000) int n,
                                                             @ForAll @IntRange(min = 1, max = 4000) int spread,
                                                             @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = (int) Math.floorMod(Math.round(alphabet / 2.0 + spread * gaussian(r)), (long) alphabet);
        }
        long[] freq = SymbolStreams.histogram(symbols, 0, n, alphabet);
        HuffmanCode code = HuffmanCode.forFrequencies(freq);
        BitWriter bits = new BitWriter(16);
        for (int s : symbols) {
            bits.write(code.code(s), code.length(s));
        }
        byte[] stream = bits.finish();
        assertThat((long) stream.length).isEqualTo((code.cost(freq) + 7) / 8);
        byte[] padded = Arrays.copyOf(stream, stream.length + DecodeScratch.PADDING);
        HuffmanDecoder decoder = new HuffmanDecoder(roundTripTable(code, alphabet));
        int[] fast = new int[n];
        int[] reference = new int[n];
        decoder.decode(padded, stream.length, fast, n);
        decoder.decodeReference(padded, stream.length, reference, n);
        assertThat(fast).containsExactly(symbols);
        assertThat(reference).containsExactly(symbols);
    }

    @Test
    void truncatedStreamIsMalformed() {
        long[] freq = {5, 3, 1, 1};
        HuffmanCode code = HuffmanCode.forFrequencies(freq);
        BitWriter bits = new BitWriter(16);
        for (int i = 0; i < 100; i++) {
            bits.write(code.code(3), code.length(3));
        }
        byte[] stream = bits.finish();
        byte[] padded = Arrays.copyOf(stream, stream.length + DecodeScratch.PADDING);
        HuffmanDecoder decoder = new HuffmanDecoder(code);
        int[] out = new int[100];
        assertThatThrownBy(() -> decoder.decode(padded, stream.length / 2, out, 100))
                .isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> decoder.decodeReference(padded, stream.length / 2, out, 100))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void singleSymbolCodeRejectsTheUnusedPattern() {
        HuffmanCode code = HuffmanCode.forFrequencies(new long[] {0, 7});
        HuffmanDecoder decoder = new HuffmanDecoder(code);
        byte[] zeros = new byte[1 + DecodeScratch.PADDING];
        int[] out = new int[8];
        decoder.decode(zeros, 1, out, 8);
        assertThat(out).containsOnly(1);
        byte[] ones = new byte[1 + DecodeScratch.PADDING];
        ones[0] = (byte) 0xFF;
        assertThatThrownBy(() -> decoder.decode(ones, 1, out, 8)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> decoder.decodeReference(ones, 1, out, 8)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void lengthTablesRoundTripAndStayCompact() {
        SplittableRandom r = new SplittableRandom(9);
        long[] freq = new long[65536];
        for (int i = 0; i < 200_000; i++) {
            freq[(int) Math.round(32768 + 60 * gaussian(r))]++;
        }
        freq[0] = 3; // an escape symbol far from the rest
        HuffmanCode code = HuffmanCode.forFrequencies(freq);
        HuffmanCode back = roundTripTable(code, 65536);
        for (int s = 0; s < 65536; s++) {
            assertThat(back.length(s)).isEqualTo(code.length(s));
        }
        // ~500 used symbols in ~4 bits each would be 250 bytes; runs of equal lengths make it far smaller.
        assertThat(code.tableBytes()).isLessThan(250);
    }

    @Test
    void incompleteLengthTableIsMalformed() {
        PayloadWriter w = new PayloadWriter();
        w.varint(3).u8(1).u8(2).u8(3); // Kraft sum 1/2 + 1/4 + 1/8 < 1
        assertThatThrownBy(() -> HuffmanCode.read(new PayloadReader(w.toByteArray()), 16))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("complete prefix code");
        PayloadWriter over = new PayloadWriter();
        over.varint(3).u8(1).u8(1).u8(1); // Kraft sum 3/2 > 1
        assertThatThrownBy(() -> HuffmanCode.read(new PayloadReader(over.toByteArray()), 16))
                .isInstanceOf(MalformedInputException.class);
        PayloadWriter past = new PayloadWriter();
        past.varint(17);
        assertThatThrownBy(() -> HuffmanCode.read(new PayloadReader(past.toByteArray()), 16))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("at most 16");
    }

    private static HuffmanCode roundTripTable(HuffmanCode code, int alphabet) {
        PayloadWriter w = new PayloadWriter();
        code.write(w);
        PayloadReader in = new PayloadReader(w.toByteArray());
        HuffmanCode back = HuffmanCode.read(in, alphabet);
        in.expectEnd("table");
        return back;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
