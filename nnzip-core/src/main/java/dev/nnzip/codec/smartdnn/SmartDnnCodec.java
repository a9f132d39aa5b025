package dev.nnzip.codec.smartdnn;

import dev.nnzip.codec.CodecSettings;
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
import dev.nnzip.codec.spi.ByteStreams;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.codec.spi.TensorInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Smart-DNN+ (Wu et al., TACO 2023): binary quantizer with remapping, bucket-encoded residuals, Huffman, Zstd. See the
 * package documentation for the algorithm and the payload layout.
 */
public final class SmartDnnCodec implements WeightCodec {
    public static final String NAME = "smartdnn";
    public static final int ID = 1;
    private static final int VERSION = 1;
    private static final int FLAG_PER_SIGN_CODES = 1;
    private static final int FLAG_ELIDE_ZERO_SIGNS = 2;
    /** All scales are 0 and not stored. */
    private static final int FLAG_ZERO_SCALES = 4;
    /** Each row of the leading dimension has its own bucket width ({@link RowSteps}). */
    private static final int FLAG_ROW_STEPS = 8;
    private static final int KNOWN_FLAGS = FLAG_PER_SIGN_CODES | FLAG_ELIDE_ZERO_SIGNS | FLAG_ZERO_SCALES | FLAG_ROW_STEPS;
    /** The setting that turns on per-row widths; {@code compress.RowStepScope} says which tensors get it by default. */
    public static final String ROW_STEPS = "rowsteps";
    /**
     * The setting that moves the bucket grid by a fraction of a bucket width: the same bound and about the same size,
     * another rounding of every weight ({@code tune.RoundingSearch} picks one per layer on calibration data).
     */
    public static final String OFFSET = "offset";
    /** The largest {@link #OFFSET}: a whole width would be the same grid again. */
    private static final double MAX_OFFSET = 0.99;
    /** Rows shorter than this keep the tensor's width: a byte per row would be a large share of their few bits. */
    private static final int MIN_STEP_ROW_LENGTH = 8;
    private static final int SIGN_SLOT = 5;
    private static final int ALIGNED_SIGN_SLOT = 7;
    private static final int SYMBOLS = 0;
    private static final int PARTITIONED = 1;

    private final boolean rowSteps;
    /** Fraction of a bucket width the grid is moved by, in [0, 1). */
    private final double offset;

    /** The registry's instance: one bucket width per tensor, the remapping's own grid. */
    public SmartDnnCodec() {
        this(false, 0);
    }

    private SmartDnnCodec(boolean rowSteps, double offset) {
        this.rowSteps = rowSteps;
        this.offset = offset;
    }

    @Override
    public Map<String, String> settingKeys() {
        return Map.of(ROW_STEPS, "true: rows (output channels) narrower than the tensor get a proportionally finer bucket"
                + " width, never coarser than the bound's; default false",
                OFFSET, "0 to 0.99: move the bucket grid by this fraction of a bucket width, another rounding of the"
                + " same weights within the same bound; default 0");
    }

    @Override
    public WeightCodec configure(CodecSettings settings) {
        settings.check(NAME, settingKeys());
        boolean configuredRowSteps = settings.getBoolean(NAME, ROW_STEPS, false);
        double configuredOffset = settings.getDouble(NAME, OFFSET, 0, 0, MAX_OFFSET);
        return configuredRowSteps == rowSteps && configuredOffset == offset ? this
                : new SmartDnnCodec(configuredRowSteps, configuredOffset);
    }

    @Override
    public String describe(byte[] parameters) {
        try {
            PayloadReader in = new PayloadReader(parameters);
            in.u8("version");
            in.f64("error bound");
            in.f32("step");
            return (in.u8("flags") & FLAG_ROW_STEPS) != 0 ? NAME + ":" + ROW_STEPS + "=true" : NAME;
        } catch (RuntimeException e) {
            return NAME;
        }
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

    @Override
    public EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues) {
        return encode(tensorName, values, shape, bound, blockValues, null);
    }

    /** Encodes with {@code forced} as the remapping instead of the one the search would pick (tests of every variant). */
    EncodedTensor encode(String tensorName, float[] values, int[] shape, ErrorBound bound, int blockValues,
                         Remapping forced) {
        TensorInputs.checkShape(tensorName, values, shape, blockValues);
        float[] range = TensorInputs.finiteRange(tensorName, NAME, values);
        double eb = bound.resolve(range[0], range[1]);
        float step = QuantCodes.step(eb);
        int n = values.length;
        int rowLength = stepRowLength(shape, n, step);
        byte[] rowExponents = rowLength > 0 ? RowSteps.exponents(values, rowLength) : null;
        float[] rowWidths = rowLength > 0 ? RowSteps.widths(step, rowExponents) : null;
        Remapping remap = forced != null ? forced
                : Remapper.choose(values, shape, step, rowWidths, rowLength).remapping().shifted((float) (offset * step));
        if (rowLength > 0 && remap.groupLength() % rowLength != 0) {
            throw new IllegalArgumentException("remapping groups of " + remap.groupLength() + " values do not hold whole"
                    + " rows of " + rowLength);
        }

        int contexts = remap.contexts();
        int[] symbols = new int[n];
        long[][] hist = new long[contexts][QuantCodes.ALPHABET];
        for (int i = 0; i < n; i++) {
            float w = values[i];
            boolean negative = SmartDnnQuantizer.negative(w);
            int g = i / remap.groupLength();
            float alpha = negative ? remap.alphaNeg()[g] : remap.alphaPos()[g];
            float width = rowLength > 0 ? rowWidths[i / rowLength] : step;
            symbols[i] = SmartDnnQuantizer.quantize(w, alpha, width, eb, remap.elideZeroSigns());
            hist[remap.context(g, negative)][symbols[i]]++;
        }
        HuffmanCode[] codes = new HuffmanCode[contexts];
        for (int c = 0; c < contexts; c++) {
            codes[c] = HuffmanCode.forFrequencies(hist[c]);
        }

        PayloadWriter params = new PayloadWriter();
        boolean zeroScales = remap.statistic() == Remapping.Statistic.ZERO;
        int flags = (remap.perSignCodes() ? FLAG_PER_SIGN_CODES : 0)
                | (remap.elideZeroSigns() ? FLAG_ELIDE_ZERO_SIGNS : 0) | (zeroScales ? FLAG_ZERO_SCALES : 0)
                | (rowLength > 0 ? FLAG_ROW_STEPS : 0);
        params.u8(VERSION).f64(eb).f32(step).u8(flags);
        params.varint(remap.groupLength()).varint(remap.groups());
        if (!zeroScales) {
            for (int g = 0; g < remap.groups(); g++) {
                params.f32(remap.alphaPos()[g]).f32(remap.alphaNeg()[g]);
            }
        }
        if (rowLength > 0) {
            params.varint(rowLength);
            ByteStreams.write(params, rowExponents, 0, rowExponents.length);
        }
        params.u8(remap.classCount());
        if (remap.classCount() > 1) {
            ByteStreams.write(params, remap.groupClass(), 0, remap.groups());
        }
        for (HuffmanCode code : codes) {
            code.write(params);
        }

        List<EncodedBlock> blocks = new ArrayList<>();
        EscapeValues escapes = new EscapeValues();
        int[] partitioned = new int[Math.min(n, blockValues)];
        int[] contextStart = new int[contexts + 1];
        for (int start = 0; start < n; start += blockValues) {
            int count = Math.min(blockValues, n - start);
            PayloadWriter out = new PayloadWriter(count);
            byte[] signs = new byte[(count + 7) >>> 3];
            int signCount = 0;
            escapes.clear();
            int[] contextCount = new int[contexts];
            for (int i = 0; i < count; i++) {
                float w = values[start + i];
                int symbol = symbols[start + i];
                boolean negative = SmartDnnQuantizer.negative(w);
                if (!remap.elideZeroSigns() || SmartDnnQuantizer.signed(symbol)) {
                    if (negative) {
                        signs[signCount >>> 3] |= (byte) (1 << (signCount & 7));
                    }
                    signCount++;
                }
                contextCount[remap.context((start + i) / remap.groupLength(), negative)]++;
                if (symbol == QuantCodes.ESCAPE) {
                    escapes.add(w);
                }
            }
            ByteStreams.write(out, signs, 0, (signCount + 7) >>> 3);
            if (contexts == 1) {
                SymbolStreams.write(out, symbols, start, count, codes[0], QuantCodes.ALPHABET);
            } else {
                // Counting sort of the block's symbols by context, keeping value order within each context.
                for (int c = 0; c < contexts; c++) {
                    contextStart[c + 1] = contextStart[c] + contextCount[c];
                }
                int[] cursor = contextStart.clone();
                for (int i = 0; i < count; i++) {
                    int c = remap.context((start + i) / remap.groupLength(),
                            SmartDnnQuantizer.negative(values[start + i]));
                    partitioned[cursor[c]++] = symbols[start + i];
                }
                for (int c = 0; c < contexts; c++) {
                    SymbolStreams.write(out, partitioned, contextStart[c], contextCount[c], codes[c],
                            QuantCodes.ALPHABET);
                }
            }
            escapes.write(out);
            blocks.add(new EncodedBlock(count, out.toByteArray()));
        }
        return new EncodedTensor(NAME, shape, blockValues, bound, eb, params.toByteArray(), blocks);
    }

    /**
     * The row length for per-row widths, or 0 for one width: only when configured, for a lossy bound, and for tensors of
     * at least two rows of {@value #MIN_STEP_ROW_LENGTH}+ values (a depthwise 3×3 filter bank has rows of 9).
     */
    private int stepRowLength(int[] shape, int n, float step) {
        if (!rowSteps || step == 0 || shape.length < 2 || shape[0] < 2) {
            return 0;
        }
        int rowLength = n / shape[0];
        return rowLength >= MIN_STEP_ROW_LENGTH ? rowLength : 0;
    }

    /** The candidates the remapping step weighs for this tensor with their estimated sizes, and the one it picks. */
    public static List<String> remappingReport(float[] values, int[] shape, ErrorBound bound) {
        float[] range = TensorInputs.finiteRange("report", NAME, values);
        float step = QuantCodes.step(bound.resolve(range[0], range[1]));
        Remapper.Choice choice = Remapper.choose(values, shape, step);
        List<String> lines = new ArrayList<>(choice.report());
        lines.add("chosen: " + choice.remapping());
        return lines;
    }

    @Override
    public TensorDecoder decoder(EncodedTensor tensor, DecoderKind kind) {
        return new Decoder(tensor, kind == DecoderKind.REFERENCE);
    }

    private static final class Decoder extends BlockTensorDecoder {
        private final boolean reference;
        private final float step;
        private final boolean perSignCodes;
        private final boolean elideZeroSigns;
        private final int groupLength;
        /** α⁺ of group g at [2g], α⁻ at [2g+1]. */
        private final float[] alphas;
        private final byte[] groupClass;
        private final HuffmanDecoder[] codes;
        /** Values per row with its own width, or 0 when the tensor has one width. */
        private final int rowLength;
        /** The bucket width of each row (with {@code rowLength > 0}). */
        private final float[] rowWidths;

        Decoder(EncodedTensor tensor, boolean reference) {
            super(tensor, NAME);
            this.reference = reference;
            PayloadReader in = new PayloadReader(tensor.parameters());
            int version = in.u8("version");
            if (version != VERSION) {
                throw new MalformedInputException(0, "smartdnn parameters version " + version + ", expected " + VERSION);
            }
            double eb = in.f64("error bound");
            step = in.f32("step");
            if (!(eb >= 0) || !(step >= 0) || Float.isInfinite(step) || step > 2 * eb) {
                throw new MalformedInputException(1, "bad error bound " + eb + " / step " + step);
            }
            int flags = in.u8("flags");
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw in.malformed("unknown flags " + flags);
            }
            perSignCodes = (flags & FLAG_PER_SIGN_CODES) != 0;
            elideZeroSigns = (flags & FLAG_ELIDE_ZERO_SIGNS) != 0;
            boolean zeroScales = (flags & FLAG_ZERO_SCALES) != 0;
            if (elideZeroSigns && (perSignCodes || !zeroScales)) {
                throw in.malformed("sign elision needs zero scales and folded codes, flags " + flags);
            }
            int n = tensor.valueCount();
            groupLength = in.varint(Integer.MAX_VALUE, "group length");
            int groups = in.varint(Math.max(1, n), "group count");
            if (groupLength < 1 || groups != Remapper.groupCount(n, groupLength)) {
                throw in.malformed(groups + " groups of " + groupLength + " values do not cover " + n + " values");
            }
            alphas = new float[2 * groups];
            for (int i = 0; i < alphas.length && !zeroScales; i++) {
                alphas[i] = in.f32("scale");
                if (!(alphas[i] >= 0) || Float.isInfinite(alphas[i])) {
                    throw in.malformed("scale " + alphas[i] + " is not finite and >= 0");
                }
            }
            if ((flags & FLAG_ROW_STEPS) != 0) {
                rowLength = in.varint(Math.max(1, n), "row length");
                if (rowLength < 1 || groupLength % rowLength != 0) {
                    throw in.malformed("rows of " + rowLength + " values do not divide groups of " + groupLength);
                }
                int rows = Remapper.groupCount(n, rowLength);
                int at = in.position();
                byte[] exponents = new byte[rows + DecodeScratch.PADDING];
                if (ByteStreams.read(in, rows, exponents, "row widths") != rows) {
                    throw new MalformedInputException(at, "row width stream must hold " + rows + " bytes");
                }
                rowWidths = RowSteps.widths(step, java.util.Arrays.copyOf(exponents, rows));
            } else {
                rowLength = 0;
                rowWidths = null;
            }
            int classes = in.u8("class count");
            if (classes < 1 || classes > Remapping.MAX_CLASSES) {
                throw in.malformed("class count " + classes + " outside 1.." + Remapping.MAX_CLASSES);
            }
            groupClass = new byte[groups];
            if (classes > 1) {
                int at = in.position();
                byte[] buf = new byte[groups + DecodeScratch.PADDING];
                if (ByteStreams.read(in, groups, buf, "group classes") != groups) {
                    throw new MalformedInputException(at, "group class stream must hold " + groups + " bytes");
                }
                for (int g = 0; g < groups; g++) {
                    if ((buf[g] & 0xFF) >= classes) {
                        throw new MalformedInputException(at, "group " + g + " in class " + buf[g] + " of " + classes);
                    }
                    groupClass[g] = buf[g];
                }
            }
            codes = new HuffmanDecoder[classes * (perSignCodes ? 2 : 1)];
            for (int c = 0; c < codes.length; c++) {
                codes[c] = new HuffmanDecoder(HuffmanCode.read(in, QuantCodes.ALPHABET));
            }
            in.expectEnd("smartdnn parameters");
        }

        private int context(int group, int signBit) {
            return perSignCodes ? 2 * groupClass[group] + signBit : groupClass[group];
        }

        @Override
        protected void decode(PayloadReader in, int firstValue, int count, float[] out, int offset) {
            DecodeScratch scratch = DecodeScratch.get();
            int maxSignBytes = (count + 7) >>> 3;
            byte[] signs = scratch.bytes(SIGN_SLOT, maxSignBytes);
            int signsAt = in.position();
            int signBytes = ByteStreams.read(in, maxSignBytes, signs, "sign stream");
            if (!elideZeroSigns) {
                checkSignStream(signs, signBytes, count, signsAt);
            }
            int[] symbols = scratch.ints(SYMBOLS, count);
            boolean escapesPossible = false;
            if (codes.length == 1) {
                HuffmanCode c = SymbolStreams.read(in, codes[0], QuantCodes.ALPHABET, count, symbols, 0, reference,
                        scratch);
                escapesPossible = c.length(QuantCodes.ESCAPE) > 0;
            } else {
                // Each context's symbols are a stream of their own; read them into consecutive runs, then restore
                // value order.
                int[] start = contextStarts(signs, firstValue, count);
                int[] partitioned = scratch.ints(PARTITIONED, count);
                for (int c = 0; c < codes.length; c++) {
                    HuffmanCode code = SymbolStreams.read(in, codes[c], QuantCodes.ALPHABET, start[c + 1] - start[c],
                            partitioned, start[c], reference, scratch);
                    escapesPossible |= code.length(QuantCodes.ESCAPE) > 0;
                }
                interleave(signs, partitioned, start, firstValue, count, symbols);
            }
            int escapeCount = EscapeValues.readCount(in, count);
            float[] escapes = EscapeValues.read(in, escapeCount, reference, scratch);
            byte[] aligned = null;
            if (elideZeroSigns) {
                // The fast path counts the stored signs while spreading them to one bit per value; the stream is
                // checked before any value is reconstructed from it (the scratch buffer is padded, so reading past a
                // short stream stays inside it).
                int signed;
                if (reference) {
                    signed = 0;
                    for (int i = 0; i < count; i++) {
                        signed += SmartDnnQuantizer.signed(symbols[i]) ? 1 : 0;
                    }
                } else {
                    aligned = scratch.bytes(ALIGNED_SIGN_SLOT, (count + 7) >>> 3);
                    signed = Reconstruction.expandElidedSigns(signs, symbols, count, aligned);
                }
                checkSignStream(signs, signBytes, signed, signsAt);
            }
            if (reference) {
                decodeReference(signs, symbols, escapes, escapeCount, firstValue, count, out, offset);
                return;
            }
            if (elideZeroSigns && rowLength == 0) {
                Reconstruction.signed(aligned, symbols, 0, count, 0f, 0f, step, out, offset);
            } else if (elideZeroSigns) {
                for (int i = 0; i < count; ) {
                    int end = segmentEnd(firstValue, i, count);
                    Reconstruction.signed(aligned, symbols, i, end, 0f, 0f, width(firstValue + i), out, offset);
                    i = end;
                }
            } else {
                reconstruct(signs, symbols, firstValue, count, out, offset);
            }
            if (escapesPossible || escapeCount > 0) {
                EscapeValues.patch(symbols, escapes, escapeCount, count, out, offset);
            }
        }

        /** The sign stream must hold exactly {@code signCount} bits, zero-padded to a byte. */
        private static void checkSignStream(byte[] signs, int signBytes, int signCount, int at) {
            if (signBytes != (signCount + 7) >>> 3) {
                throw new MalformedInputException(at, "sign stream holds " + signBytes + " bytes, " + signCount
                        + " sign bits need " + ((signCount + 7) >>> 3));
            }
            if ((signCount & 7) != 0 && (signs[signBytes - 1] & 0xFF) >>> (signCount & 7) != 0) {
                throw new MalformedInputException(at, "sign bits set past the last sign");
            }
        }

        /**
         * Start of each context's run in the partitioned symbol array (length contexts+1), counted group segment by group
         * segment: the class is the segment's, and with per-sign codes the negatives are the set sign bits in it.
         */
        private int[] contextStarts(byte[] signs, int firstValue, int count) {
            int[] start = new int[codes.length + 1];
            int i = 0;
            while (i < count) {
                int g = (firstValue + i) / groupLength;
                int end = (int) Math.min(count, (long) (g + 1) * groupLength - firstValue);
                if (perSignCodes) {
                    int negatives = countBits(signs, i, end);
                    start[1 + context(g, 0)] += end - i - negatives;
                    start[1 + context(g, 1)] += negatives;
                } else {
                    start[1 + context(g, 0)] += end - i;
                }
                i = end;
            }
            for (int c = 0; c < codes.length; c++) {
                start[c + 1] += start[c];
            }
            return start;
        }

        /** Set bits among bits {@code [from, to)} of the LSB-first bit array. */
        private static int countBits(byte[] bits, int from, int to) {
            int n = 0;
            int i = from;
            for (; i < to && (i & 7) != 0; i++) {
                n += bits[i >>> 3] >>> (i & 7) & 1;
            }
            for (; i + 8 <= to; i += 8) {
                n += Integer.bitCount(bits[i >>> 3] & 0xFF);
            }
            for (; i < to; i++) {
                n += bits[i >>> 3] >>> (i & 7) & 1;
            }
            return n;
        }

        /** Restores value order: each group segment takes the next symbols of its context (both contexts, by sign). */
        private void interleave(byte[] signs, int[] partitioned, int[] start, int firstValue, int count, int[] symbols) {
            int[] cursor = start.clone();
            int i = 0;
            while (i < count) {
                int g = (firstValue + i) / groupLength;
                int end = (int) Math.min(count, (long) (g + 1) * groupLength - firstValue);
                int positive = context(g, 0);
                if (!perSignCodes) {
                    System.arraycopy(partitioned, cursor[positive], symbols, i, end - i);
                    cursor[positive] += end - i;
                    i = end;
                    continue;
                }
                int negative = context(g, 1);
                int p = cursor[positive];
                int q = cursor[negative];
                for (; i < end; i++) {
                    if ((signs[i >>> 3] >>> (i & 7) & 1) == 0) {
                        symbols[i] = partitioned[p++];
                    } else {
                        symbols[i] = partitioned[q++];
                    }
                }
                cursor[positive] = p;
                cursor[negative] = q;
            }
        }

        /**
         * The fast reconstruction, segment by segment: a group (its own α⁺, α⁻) or, with per-row widths, a row (rows
         * divide groups).
         */
        private void reconstruct(byte[] signs, int[] symbols, int firstValue, int count, float[] out, int offset) {
            int i = 0;
            while (i < count) {
                int g = (firstValue + i) / groupLength;
                int end = segmentEnd(firstValue, i, count);
                Reconstruction.signed(signs, symbols, i, end, alphas[2 * g], alphas[2 * g + 1], width(firstValue + i),
                        out, offset);
                i = end;
            }
        }

        /** End (block-relative) of the run from block position {@code i} that shares one α pair and one width. */
        private int segmentEnd(int firstValue, int i, int count) {
            int length = rowLength > 0 ? rowLength : groupLength;
            long segment = (firstValue + (long) i) / length;
            return (int) Math.min(count, (segment + 1) * length - firstValue);
        }

        /** The bucket width of value {@code index} of the tensor. */
        private float width(int index) {
            return rowLength > 0 ? rowWidths[index / rowLength] : step;
        }

        /** Value by value, literally {@link SmartDnnQuantizer#reconstruct}. */
        private void decodeReference(byte[] signs, int[] symbols, float[] escapes, int escapeCount, int firstValue,
                                     int count, float[] out, int offset) {
            int k = 0;
            int j = 0; // next sign bit
            for (int i = 0; i < count; i++) {
                boolean hasSign = !elideZeroSigns || SmartDnnQuantizer.signed(symbols[i]);
                boolean negative = hasSign && (signs[j / 8] & (1 << (j % 8))) != 0;
                if (hasSign) {
                    j++;
                }
                if (symbols[i] == QuantCodes.ESCAPE) {
                    if (k == escapeCount) {
                        throw new MalformedInputException(-1, "more escape symbols than escaped values");
                    }
                    out[offset + i] = escapes[k++];
                    continue;
                }
                int g = (firstValue + i) / groupLength;
                float alpha = negative ? alphas[2 * g + 1] : alphas[2 * g];
                out[offset + i] = SmartDnnQuantizer.reconstruct(negative, alpha, symbols[i], width(firstValue + i));
            }
            if (k != escapeCount) {
                throw new MalformedInputException(-1, escapeCount + " escaped values but " + k + " escape symbols");
            }
        }
    }
}
