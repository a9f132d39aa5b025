package dev.nnzip.codec;

import java.util.Arrays;
import java.util.List;

/**
 * A tensor as a codec wrote it: the codec's name, the tensor shape, the error bound asked for and the absolute bound it
 * resolved to, tensor-wide codec parameters, and the blocks. Block {@code b} holds values
 * {@code [b × blockValues, b × blockValues + blocks[b].valueCount())}; every block but the last is full.
 *
 * <p>The constructor checks that shape, block size and blocks agree, and throws {@link MalformedInputException} when they do
 * not: an encoder always builds a consistent tensor, so a mismatch means the container it was read from is corrupt.
 *
 * @param codec         registry name of the codec ({@link Codecs#byName(String)})
 * @param shape         tensor shape (copied); the value count is its product
 * @param blockValues   values per block (the last block may hold fewer)
 * @param bound         the error bound asked for
 * @param absoluteBound the bound it resolved to for this tensor ({@code 0} = exact)
 * @param parameters    tensor-wide codec parameters (copied)
 * @param blocks        the blocks, in value order
 */
public record EncodedTensor(String codec, int[] shape, int blockValues, ErrorBound bound, double absoluteBound,
                            byte[] parameters, List<EncodedBlock> blocks) {
    /** Default block length: 64 Ki values = 256 KiB of FP32 output, small enough for L2, large enough to amortise headers. */
    public static final int DEFAULT_BLOCK_VALUES = 1 << 16;

    public EncodedTensor {
        if (codec == null || shape == null || bound == null || parameters == null || blocks == null) {
            throw new MalformedInputException(-1, "encoded tensor has a null field");
        }
        shape = shape.clone();
        parameters = parameters.clone();
        blocks = List.copyOf(blocks);
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new MalformedInputException(-1, "negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 16) {
                throw new MalformedInputException(-1, "shape " + Arrays.toString(shape) + " holds more values than a float[]");
            }
        }
        if (blockValues < 1) {
            throw new MalformedInputException(-1, "block size must be >= 1, was " + blockValues);
        }
        if (!(absoluteBound >= 0) || Double.isInfinite(absoluteBound)) {
            throw new MalformedInputException(-1, "absolute error bound must be finite and >= 0, was " + absoluteBound);
        }
        long expectedBlocks = (n + blockValues - 1) / blockValues;
        if (blocks.size() != expectedBlocks) {
            throw new MalformedInputException(-1, "tensor of " + n + " values in blocks of " + blockValues + " needs "
                    + expectedBlocks + " blocks, found " + blocks.size());
        }
        for (int b = 0; b < blocks.size(); b++) {
            long expected = Math.min(blockValues, n - (long) b * blockValues);
            if (blocks.get(b).valueCount() != expected) {
                throw new MalformedInputException(-1, "block " + b + " must hold " + expected + " values, holds "
                        + blocks.get(b).valueCount());
            }
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    /** Number of values (product of the shape). */
    public int valueCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** Index of the first value of block {@code b}. */
    public int blockStart(int b) {
        return b * blockValues;
    }

    /** Bytes of codec output: parameters plus all block payloads. */
    public long encodedBytes() {
        long bytes = parameters.length;
        for (EncodedBlock block : blocks) {
            bytes += block.size();
        }
        return bytes;
    }

    /** Original FP32 bytes over encoded bytes. */
    public double ratio() {
        long encoded = encodedBytes();
        return encoded == 0 ? 1 : 4.0 * valueCount() / encoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedTensor t && codec.equals(t.codec) && Arrays.equals(shape, t.shape)
                && blockValues == t.blockValues && bound.equals(t.bound)
                && Double.compare(absoluteBound, t.absoluteBound) == 0 && Arrays.equals(parameters, t.parameters)
                && blocksEqual(blocks, t.blocks);
    }

    private static boolean blocksEqual(List<EncodedBlock> a, List<EncodedBlock> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).valueCount() != b.get(i).valueCount() || !Arrays.equals(a.get(i).payload(), b.get(i).payload())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return codec.hashCode() * 31 + Arrays.hashCode(shape) * 17 + Arrays.hashCode(parameters) + blocks.size();
    }

    @Override
    public String toString() {
        return "EncodedTensor[" + codec + ", shape=" + Arrays.toString(shape) + ", " + bound + " (eb=" + absoluteBound
                + "), " + blocks.size() + " blocks, " + encodedBytes() + " bytes, ratio " + String.format("%.2f", ratio())
                + "]";
    }
}
