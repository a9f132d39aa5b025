package dev.nnzip.codec.entropy;

import dev.nnzip.codec.MalformedInputException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes MSB-first canonical Huffman streams of a known symbol count. Immutable and thread-safe once built.
 *
 * <p>Fast path: the next 64 bits are one unaligned big-endian load at the current bit position; its top
 * {@value #TABLE_BITS} bits index a table whose entry holds symbol and length of every code up to that length (short
 * codes fill {@code 2^(TABLE_BITS−len)} entries). Longer codes are rare by construction (probability below
 * 2^−{@value #TABLE_BITS} each) and take the canonical per-length search. The stream must be followed by
 * {@link dev.nnzip.codec.spi.DecodeScratch#PADDING} readable bytes. Overrun (a corrupt stream asking for more bits than it
 * has) is checked once per symbol, so no read ever leaves the buffer and the loop always ends after {@code n} symbols.
 *
 * <p>{@link #decodeReference} reads one bit at a time and walks the canonical code length by length (the textbook decoder,
 * cf. zlib's puff.c); tests check the fast path against it.
 */
public final class HuffmanDecoder {
    /** 2^12 entries × 4 bytes = 16 KiB: stays in L1 together with the output block's working set. */
    public static final int TABLE_BITS = 12;
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int SLOW = -1;

    private final HuffmanCode code;
    private final int[] table;
    /** Canonical decoding: codes of length L are firstCode[L] .. firstCode[L]+count[L]-1, symbols sorted[offset[L]..]. */
    private final int[] firstCode = new int[HuffmanCode.MAX_LENGTH + 1];
    private final int[] count = new int[HuffmanCode.MAX_LENGTH + 1];
    private final int[] offset = new int[HuffmanCode.MAX_LENGTH + 1];
    private final int[] sorted;

    public HuffmanDecoder(HuffmanCode code) {
        this.code = code;
        int alphabet = code.alphabetSize();
        for (int s = 0; s < alphabet; s++) {
            count[code.length(s)]++;
        }
        count[0] = 0;
        int c = 0;
        int o = 0;
        for (int len = 1; len <= HuffmanCode.MAX_LENGTH; len++) {
            firstCode[len] = c;
            offset[len] = o;
            c = (c + count[len]) << 1;
            o += count[len];
        }
        sorted = new int[o];
        int[] fill = offset.clone();
        for (int s = 0; s < alphabet; s++) {
            int len = code.length(s);
            if (len > 0) {
                sorted[fill[len]++] = s;
            }
        }
        table = new int[1 << TABLE_BITS];
        java.util.Arrays.fill(table, SLOW);
        for (int s = 0; s < alphabet; s++) {
            int len = code.length(s);
            if (len > 0 && len <= TABLE_BITS) {
                int first = code.code(s) << (TABLE_BITS - len);
                int entry = s << 4 | len;
                java.util.Arrays.fill(table, first, first + (1 << (TABLE_BITS - len)), entry);
            }
        }
    }

    public HuffmanCode code() {
        return code;
    }

    /**
     * Decodes {@code n} symbols from {@code buf[0, byteLength)} into {@code out[0, n)}.
     *
     * @param buf stream bytes followed by at least 8 readable padding bytes
     * @throws MalformedInputException if the stream is too short or holds a bit pattern that is no code
     */
    public void decode(byte[] buf, int byteLength, int[] out, int n) {
        decode(buf, byteLength, out, 0, n);
    }

    /** {@link #decode(byte[], int, int[], int)} into {@code out[outOffset, outOffset + n)}. */
    public void decode(byte[] buf, int byteLength, int[] out, int outOffset, int n) {
        final int[] table = this.table;
        final long limitBits = (long) byteLength * 8;
        long bitPos = 0;
        for (int i = 0; i < n; i++) {
            if (bitPos > limitBits) {
                throw overrun(i, n, byteLength);
            }
            long word = (long) BE_LONG.get(buf, (int) (bitPos >>> 3)) << (bitPos & 7);
            int entry = table[(int) (word >>> (64 - TABLE_BITS))];
            if (entry == SLOW) {
                entry = decodeLong(word, bitPos);
            }
            out[outOffset + i] = entry >>> 4;
            bitPos += entry & 15;
        }
        if (bitPos > limitBits) {
            throw overrun(n, n, byteLength);
        }
    }

    /** Canonical search over lengths above the table width; {@code word}'s top bits are the next bits of the stream. */
    private int decodeLong(long word, long bitPos) {
        for (int len = TABLE_BITS + 1; len <= HuffmanCode.MAX_LENGTH; len++) {
            int c = (int) (word >>> (64 - len));
            int index = c - firstCode[len];
            if (index >= 0 && index < count[len]) {
                return sorted[offset[len] + index] << 4 | len;
            }
        }
        throw new MalformedInputException(bitPos >>> 3, "bit pattern at bit " + bitPos + " is not a Huffman code");
    }

    /** Bit-at-a-time canonical decoding; the oracle for {@link #decode}. Same contract. */
    public void decodeReference(byte[] buf, int byteLength, int[] out, int n) {
        decodeReference(buf, byteLength, out, 0, n);
    }

    /** {@link #decodeReference(byte[], int, int[], int)} into {@code out[outOffset, outOffset + n)}. */
    public void decodeReference(byte[] buf, int byteLength, int[] out, int outOffset, int n) {
        long limitBits = (long) byteLength * 8;
        long bitPos = 0;
        for (int i = 0; i < n; i++) {
            int c = 0;
            int len = 0;
            while (true) {
                if (bitPos >= limitBits) {
                    throw overrun(i, n, byteLength);
                }
                int bit = (buf[(int) (bitPos >>> 3)] >>> (7 - (bitPos & 7))) & 1;
                bitPos++;
                c = c << 1 | bit;
                len++;
                if (len > HuffmanCode.MAX_LENGTH) {
                    throw new MalformedInputException(bitPos >>> 3, "bit pattern is not a Huffman code");
                }
                int index = c - firstCode[len];
                if (index >= 0 && index < count[len]) {
                    out[outOffset + i] = sorted[offset[len] + index];
                    break;
                }
            }
        }
    }

    private static MalformedInputException overrun(int i, int n, int byteLength) {
        return new MalformedInputException(byteLength, "Huffman stream of " + byteLength + " bytes ends before symbol "
                + i + " of " + n);
    }
}
