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
 * table if any, for runs of at least {@value #LANE_THRESHOLD} symbols the byte lengths of lanes 0–2 as varints, then the
 * bit stream as a {@link ByteStreams} stream. The encoder takes whichever costs fewer bytes: the shared code (stored once
 * per tensor) or a code fitted to this block plus its table, so blocks whose statistics differ from the tensor's (a block
 * of zeros in a pruned layer) still code well.
 *
 * <p>Long runs are cut into four lanes of {@code ceil(n/4)} consecutive symbols (the last lane takes the rest), each coded
 * as its own byte-aligned bit stream, so {@link HuffmanDecoder#decode4} can decode four independent streams at once.
 */
public final class SymbolStreams {
    private static final int SHARED = 0;
    private static final int LOCAL = 1;
    /** Scratch byte slot for the bit stream (slots 0–3 belong to byte planes). */
    private static final int STREAM_SLOT = 4;
    /** Runs this long are coded in four lanes; shorter ones are not worth the 3 length fields. */
    public static final int LANE_THRESHOLD = 1024;

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
        if (n < LANE_THRESHOLD) {
            byte[] stream = encodeLane(symbols, from, n, code);
            ByteStreams.write(out, stream, 0, stream.length);
            return;
        }
        int laneLength = (n + 3) / 4;
        PayloadWriter lanes = new PayloadWriter(n);
        for (int k = 0; k < 4; k++) {
            int laneFrom = from + k * laneLength;
            byte[] lane = encodeLane(symbols, laneFrom, Math.min(laneLength, from + n - laneFrom), code);
            if (k < 3) {
                out.varint(lane.length);
            }
            lanes.bytes(lane);
        }
        byte[] stream = lanes.toByteArray();
        ByteStreams.write(out, stream, 0, stream.length);
    }

    private static byte[] encodeLane(int[] symbols, int from, int n, HuffmanCode code) {
        BitWriter bits = new BitWriter(n / 2 + 16);
        for (int i = from; i < from + n; i++) {
            bits.write(code.code(symbols[i]), code.length(symbols[i]));
        }
        return bits.finish();
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
        // (+4 bytes: each of four lanes is padded to a byte on its own.)
        int maxBytes = (int) Math.min(Integer.MAX_VALUE - 64, ((long) n * HuffmanCode.MAX_LENGTH + 7) / 8 + 4);
        int[] laneStart = null;
        if (n >= LANE_THRESHOLD) {
            laneStart = new int[5];
            long end = 0;
            for (int k = 1; k < 4; k++) {
                end += in.varint(maxBytes, "lane length");
                if (end > maxBytes) {
                    throw in.malformed("lanes longer than a stream of " + n + " symbols can be");
                }
                laneStart[k] = (int) end;
            }
        }
        byte[] buf = scratch.bytes(STREAM_SLOT, maxBytes);
        int streamAt = in.position();
        int len = ByteStreams.read(in, maxBytes, buf, "symbol stream");
        if (laneStart == null) {
            if (reference) {
                decoder.decodeReference(buf, len, out, outOffset, n);
            } else {
                decoder.decode(buf, len, out, outOffset, n);
            }
            return decoder.code();
        }
        if (laneStart[3] > len) {
            throw new MalformedInputException(streamAt, "lanes of " + laneStart[3] + " bytes in a stream of " + len);
        }
        laneStart[4] = len;
        int laneLength = (n + 3) / 4;
        if (reference) {
            for (int k = 0; k < 4; k++) {
                decoder.decodeReference(buf, laneStart[k], laneStart[k + 1], out, outOffset + k * laneLength,
                        Math.min(laneLength, n - k * laneLength));
            }
        } else {
            decoder.decode4(buf, laneStart, out, outOffset, laneLength, n);
        }
        return decoder.code();
    }
}
