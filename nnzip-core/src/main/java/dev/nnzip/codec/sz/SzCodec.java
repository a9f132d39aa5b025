package dev.nnzip.codec.sz;

import dev.nnzip.codec.DecoderKind;
import dev.nnzip.codec.EncodedBlock;
import dev.nnzip.codec.EncodedTensor;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.TensorDecoder;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.codec.entropy.HuffmanCode;
import dev.nnzip.codec.entropy.HuffmanDecoder;
import dev.nnzip.codec.entropy.SymbolStreams;
import dev.nnzip.codec.quant.EscapeValues;
import dev.nnzip.codec.quant.QuantCodes;
import dev.nnzip.codec.spi.BlockTensorDecoder;
import dev.nnzip.codec.spi.BoundCheck;
import dev.nnzip.codec.spi.ByteStreams;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;

/** SZ-style prediction + linear-scaling quantization + Huffman + Zstd. See the package documentation. */
public final class SzCodec implements WeightCodec {
    public static final String NAME = "sz";
    public static final int ID = 2;
    /** Values per predictor choice: long enough that the 1-bit choice and the coefficients are cheap, short enough to adapt. */
    public static final int DEFAULT_SEGMENT = 256;
    private static final int VERSION = 1;
    private static final int SELECTOR_SLOT = 5;
    private static final int COEFFICIENT_SLOT = 6;

    private final int segmentLength;

    public SzCodec() {
        this(DEFAULT_SEGMENT);
    }

    public SzCodec(int segmentLength) {
        if (segmentLength < 2 || segmentLength > 1 << 20) {
            throw new IllegalArgumentException("segment length must be in [2, 2^20], was " + segmentLength);
        }
        this.segmentLength = segmentLength;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    /** Per block: predictor choice per segment, regression coefficients, symbols, escapes; before entropy coding. */
    private record QuantizedBlock(int start, int count, byte[] selectors, byte[] coefficients, EscapeValues escapes) {
    }

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        float[] range = TensorInputs.finiteRange(tensorName, NAME, values);
        double eb = bound.resolve(range[0], range[1]);
        float step = QuantCodes.step(eb);
        int n = values.length;
        int[] symbols = new int[n];
        List<QuantizedBlock> quantized = new ArrayList<>();
        for (int start = 0; start < n; start += blockValues) {
            quantized.add(quantizeBlock(values, start, Math.min(blockValues, n - start), step, eb, symbols));
        }
        HuffmanCode shared = HuffmanCode.forFrequencies(SymbolStreams.histogram(symbols, 0, n, QuantCodes.ALPHABET));
        PayloadWriter params = new PayloadWriter();
        params.u8(VERSION).f64(eb).f32(step).varint(segmentLength);
        shared.write(params);

        List<EncodedBlock> blocks = new ArrayList<>();
        for (QuantizedBlock q : quantized) {
            PayloadWriter out = new PayloadWriter(q.count());
            ByteStreams.write(out, q.selectors(), 0, q.selectors().length);
            ByteStreams.write(out, q.coefficients(), 0, q.coefficients().length);
            SymbolStreams.write(out, symbols, q.start(), q.count(), shared, QuantCodes.ALPHABET);
            q.escapes().write(out);
            blocks.add(new EncodedBlock(q.count(), out.toByteArray()));
        }
        return new EncodedTensor(NAME, shape, blockValues, bound, eb, params.toByteArray(), blocks);
    }

    private QuantizedBlock quantizeBlock(float[] values, int start, int count, float step, double eb, int[] symbols) {
        int segments = (count + segmentLength - 1) / segmentLength;
        byte[] selectors = new byte[(segments + 7) >>> 3];
        PayloadWriter coefficients = new PayloadWriter();
        EscapeValues escapes = new EscapeValues();
        float slopeStep = SzPredictor.slopeStep(step, segmentLength);
        float previous = 0; // Lorenzo's ŵ_{i−1}; a block starts from 0 so it decodes on its own
        for (int s = 0; s < segments; s++) {
            int from = start + s * segmentLength;
            int len = Math.min(segmentLength, start + count - from);
            int[] fit = step == 0 ? null : fitRegression(values, from, len, step, slopeStep);
            boolean useRegression = fit != null
                    && regressionError(values, from, len, fit, step, slopeStep) < lorenzoError(values, from, len, start);
            float a = 0;
            float b = 0;
            if (useRegression) {
                selectors[s >>> 3] |= (byte) (1 << (s & 7));
                coefficients.svarint(fit[0]).svarint(fit[1]);
                a = SzPredictor.intercept(fit[0], step);
                b = SzPredictor.slope(fit[1], slopeStep);
            }
            for (int j = 0; j < len; j++) {
                float w = values[from + j];
                float prediction = useRegression ? SzPredictor.regression(a, b, j) : previous;
                int symbol = QuantCodes.ESCAPE;
                if (step > 0) {
                    symbol = QuantCodes.symbol(QuantCodes.bin((double) w - prediction, step));
                }
                float reconstructed = w;
                if (symbol != QuantCodes.ESCAPE) {
                    reconstructed = SzPredictor.reconstruct(prediction, symbol, step);
                    if (!BoundCheck.within(w, reconstructed, eb)) {
                        symbol = QuantCodes.ESCAPE;
                        reconstructed = w;
                    }
                }
                if (symbol == QuantCodes.ESCAPE) {
                    escapes.add(w);
                }
                symbols[from + j] = symbol;
                previous = reconstructed;
            }
        }
        return new QuantizedBlock(start, count, selectors, coefficients.toByteArray(), escapes);
    }

    /** Least-squares line through the segment, as quantized coefficient bins {aq, bq}, or null if they overflow. */
    private static int[] fitRegression(float[] values, int from, int len, float step, float slopeStep) {
        double meanJ = (len - 1) / 2.0;
        double meanW = 0;
        for (int j = 0; j < len; j++) {
            meanW += values[from + j];
        }
        meanW /= len;
        double sxy = 0;
        double sxx = 0;
        for (int j = 0; j < len; j++) {
            double dj = j - meanJ;
            sxy += dj * (values[from + j] - meanW);
            sxx += dj * dj;
        }
        double b = sxx == 0 ? 0 : sxy / sxx;
        double a = meanW - b * meanJ;
        if (!(slopeStep > 0)) {
            return null;
        }
        long aq = Math.round(a / step);
        long bq = Math.round(b / slopeStep);
        if (Math.abs(aq) > SzPredictor.MAX_COEFFICIENT || Math.abs(bq) > SzPredictor.MAX_COEFFICIENT) {
            return null;
        }
        return new int[] {(int) aq, (int) bq};
    }

    /** SZ 2's selection criterion: the sum of absolute prediction errors, on the original values. */
    private static double regressionError(float[] values, int from, int len, int[] fit, float step, float slopeStep) {
        float a = SzPredictor.intercept(fit[0], step);
        float b = SzPredictor.slope(fit[1], slopeStep);
        double err = 0;
        for (int j = 0; j < len; j++) {
            err += Math.abs((double) values[from + j] - SzPredictor.regression(a, b, j));
        }
        return err;
    }

    private static double lorenzoError(float[] values, int from, int len, int blockStart) {
        double err = 0;
        for (int j = 0; j < len; j++) {
            int i = from + j;
            err += Math.abs((double) values[i] - (i == blockStart ? 0.0 : values[i - 1]));
        }
        return err;
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final float step;
        private final float slopeStep;
        private final int segmentLength;
        private final HuffmanDecoder shared;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = new PayloadReader(tensor.parameters());
            int version = in.u8("version");
            if (version != VERSION) {
                throw new MalformedInputException(0, "sz parameters version " + version + ", expected " + VERSION);
            }
            double eb = in.f64("error bound");
            step = in.f32("step");
            if (!(eb >= 0) || !(step >= 0) || Float.isInfinite(step) || step > 2 * eb) {
                throw new MalformedInputException(1, "bad error bound " + eb + " / step " + step);
            }
            segmentLength = in.varint(1 << 20, "segment length");
            if (segmentLength < 2) {
                throw in.malformed("segment length " + segmentLength + " < 2");
            }
            slopeStep = SzPredictor.slopeStep(step, segmentLength);
            shared = new HuffmanDecoder(HuffmanCode.read(in, QuantCodes.ALPHABET));
            in.expectEnd("sz parameters");
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int segments = (count + segmentLength - 1) / segmentLength;
            int selectorBytes = (segments + 7) >>> 3;
            byte[] selectors = scratch.bytes(SELECTOR_SLOT, selectorBytes);
            int at = in.position();
            if (ByteStreams.read(in, selectorBytes, selectors, "predictor selectors") != selectorBytes) {
                throw new MalformedInputException(at, "predictor selector stream must hold " + selectorBytes + " bytes");
            }
            // At most two 5-byte varints per segment.
            int maxCoefficientBytes = 10 * segments;
            byte[] coefficientBytes = scratch.bytes(COEFFICIENT_SLOT, maxCoefficientBytes);
            int coefficientLength = ByteStreams.read(in, maxCoefficientBytes, coefficientBytes, "regression coefficients");
            PayloadReader coefficients = new PayloadReader(coefficientBytes, 0, coefficientLength);
            int[] symbols = scratch.ints(0, count);
            SymbolStreams.read(in, shared, QuantCodes.ALPHABET, count, symbols, 0, reference, scratch);
            int escapeCount = EscapeValues.readCount(in, count);
            float[] escapes = EscapeValues.read(in, escapeCount, reference, scratch);

            final float step = this.step;
            int k = 0;
            float previous = 0;
            for (int s = 0; s < segments; s++) {
                int from = s * segmentLength;
                int len = Math.min(segmentLength, count - from);
                boolean regression = (selectors[s >>> 3] >>> (s & 7) & 1) != 0;
                if (regression) {
                    float a = SzPredictor.intercept(coefficients.svarint(SzPredictor.MAX_COEFFICIENT, "intercept"),
                            step);
                    float b = SzPredictor.slope(coefficients.svarint(SzPredictor.MAX_COEFFICIENT, "slope"), slopeStep);
                    for (int j = 0; j < len; j++) {
                        int symbol = symbols[from + j];
                        float v;
                        if (symbol == QuantCodes.ESCAPE) {
                            if (k == escapeCount) {
                                throw new MalformedInputException(-1, "more escape symbols than escaped values");
                            }
                            v = escapes[k++];
                        } else {
                            v = SzPredictor.reconstruct(SzPredictor.regression(a, b, j), symbol, step);
                        }
                        out[offset + from + j] = v;
                    }
                    previous = out[offset + from + len - 1];
                } else {
                    for (int j = 0; j < len; j++) {
                        int symbol = symbols[from + j];
                        if (symbol == QuantCodes.ESCAPE) {
                            if (k == escapeCount) {
                                throw new MalformedInputException(-1, "more escape symbols than escaped values");
                            }
                            previous = escapes[k++];
                        } else {
                            previous = SzPredictor.reconstruct(previous, symbol, step);
                        }
                        out[offset + from + j] = previous;
                    }
                }
            }
            if (k != escapeCount) {
                throw new MalformedInputException(-1, escapeCount + " escaped values but " + k + " escape symbols");
            }
            coefficients.expectEnd("regression coefficients");
            if ((segments & 7) != 0 && (selectors[selectorBytes - 1] & 0xFF) >>> (segments & 7) != 0) {
                throw new MalformedInputException(at, "predictor selector bits set past the last segment");
            }
        }
    }
}
