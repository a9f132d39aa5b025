package dev.nnzip.codec.entropy;

import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.spi.ByteStreams;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;

/**
 * A Huffman-coded run of integer symbols inside a block, with its Zstd pass. The count is known from context.
 *
 * <p>Layout: {@code u8 table} (0 = the tensor's shared code, 1 = a code for this block follows), the block code's length
 * table if any, then the bit stream as a {@link ByteStreams} stream. The encoder takes whichever costs fewer bytes: the
 * shared code (stored once per tensor) or a code fitted to this block plus its table, so blocks whose statistics differ
 * from the tensor's (a block of zeros in a pruned layer) still code well.
 */
public final class SymbolStreams {
    private static final int SHARED = 0;
    private static final int LOCAL = 1;
    /** Scratch byte slot for the bit stream (slots 0–3 belong to byte planes). */
    private static final int STREAM_SLOT = 4;

    private SymbolStreams() {
    }

    /** Histogram of {@code symbols[from, from+n)} over {@code alphabet} symbols. */
    public static long[] histogram(int[] symbols, int from, int n, int alphabet) {
        long[] freq = new long[alphabet];
        for (int i = from; i < from + n; i++) {
            freq[symbols[i]]++;
        }
        return freq;
    }

    /** Writes {@code symbols[from, from+n)}; {@code shared} may be null (then a local code is always written). */
    public static void write(PayloadWriter out, int[] symbols, int from, int n, HuffmanCode shared, int alphabet) {
        long[] freq = histogram(symbols, from, n, alphabet);
        HuffmanCode local = HuffmanCode.forFrequencies(freq);
        long sharedBits = shared == null ? Long.MAX_VALUE : shared.cost(freq);
        long localBits = local.cost(freq) + 8L * local.tableBytes();
        HuffmanCode code;
        if (sharedBits <= localBits) {
            out.u8(SHARED);
            code = shared;
        } else {
            out.u8(LOCAL);
            local.write(out);
            code = local;
        }
        BitWriter bits = new BitWriter(n / 2 + 16);
        for (int i = from; i < from + n; i++) {
            bits.write(code.code(symbols[i]), code.length(symbols[i]));
        }
        byte[] stream = bits.finish();
        ByteStreams.write(out, stream, 0, stream.length);
    }

    /**
     * Reads {@code n} symbols into {@code out[outOffset, outOffset + n)}.
     *
     * @param shared    decoder of the tensor's shared code, or null if the tensor has none
     * @param reference use the bit-at-a-time reference decoder
     * @return the code the symbols were decoded with (callers check e.g. whether it can produce an escape at all)
     */
    public static HuffmanCode read(PayloadReader in, HuffmanDecoder shared, int alphabet, int n, int[] out,
                                   int outOffset, boolean reference, DecodeScratch scratch) {
        int at = in.position();
        int mode = in.u8("symbol table mode");
        HuffmanDecoder decoder = switch (mode) {
            case SHARED -> {
                if (shared == null) {
                    throw new MalformedInputException(at, "block refers to a shared Huffman code the tensor does not have");
                }
                yield shared;
            }
            case LOCAL -> new HuffmanDecoder(HuffmanCode.read(in, alphabet));
            default -> throw new MalformedInputException(at, "unknown symbol table mode " + mode);
        };
        if (n > 0 && decoder.code().usedSymbols() == 0) {
            throw new MalformedInputException(at, n + " symbols coded with an empty Huffman code");
        }
        // No code is longer than MAX_LENGTH bits, so a valid stream has at most that many bits per symbol: the buffer is
        // bounded by the block's value count, never by a length read from the payload.
        int maxBytes = (int) Math.min(Integer.MAX_VALUE - 64, ((long) n * HuffmanCode.MAX_LENGTH + 7) / 8);
        byte[] buf = scratch.bytes(STREAM_SLOT, maxBytes);
        int len = ByteStreams.read(in, maxBytes, buf, "symbol stream");
        if (reference) {
            decoder.decodeReference(buf, len, out, outOffset, n);
        } else {
            decoder.decode(buf, len, out, outOffset, n);
        }
        return decoder.code();
    }
}
