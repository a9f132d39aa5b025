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
        int lo = code.firstSymbol();
        int hi = code.endSymbol();
        for (int s = lo; s < hi; s++) {
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
        for (int s = lo; s < hi; s++) {
            int len = code.length(s);
            if (len > 0) {
                sorted[fill[len]++] = s;
            }
        }
        table = new int[1 << TABLE_BITS];
        java.util.Arrays.fill(table, SLOW);
        for (int s = lo; s < hi; s++) {
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

    /**
     * {@link #decode(byte[], int, int[], int)} into {@code out[outOffset, outOffset + n)}.
     *
     * <p>One 64-bit load yields at least 57 fresh bits, and three codes take at most 45, so the main loop decodes three
     * symbols per load and per overrun check.
     */
    public void decode(byte[] buf, int byteLength, int[] out, int outOffset, int n) {
        final int[] table = this.table;
        final long limitBits = (long) byteLength * 8;
        final int shift = 64 - TABLE_BITS;
        long bitPos = 0;
        int i = 0;
        for (; i < n - 2; i += 3) {
            if (bitPos > limitBits) {
                throw overrun(i, n, byteLength);
            }
            long word = (long) BE_LONG.get(buf, (int) (bitPos >>> 3)) << (bitPos & 7);
            int e0 = table[(int) (word >>> shift)];
            if (e0 == SLOW) {
                e0 = decodeLong(word, bitPos);
            }
            word <<= e0 & 15;
            int e1 = table[(int) (word >>> shift)];
            if (e1 == SLOW) {
                e1 = decodeLong(word, bitPos);
            }
            word <<= e1 & 15;
            int e2 = table[(int) (word >>> shift)];
            if (e2 == SLOW) {
                e2 = decodeLong(word, bitPos);
            }
            out[outOffset + i] = e0 >>> 4;
            out[outOffset + i + 1] = e1 >>> 4;
            out[outOffset + i + 2] = e2 >>> 4;
            bitPos += (e0 & 15) + (e1 & 15) + (e2 & 15);
        }
        for (; i < n; i++) {
            if (bitPos > limitBits) {
                throw overrun(i, n, byteLength);
            }
            long word = (long) BE_LONG.get(buf, (int) (bitPos >>> 3)) << (bitPos & 7);
            int entry = table[(int) (word >>> shift)];
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

    /**
     * Decodes four independent lanes at once: lane {@code k}'s bits are {@code buf[laneStart[k], laneStart[k+1])} and its
     * symbols go to {@code out[outOffset + k·laneLength, …)}; lanes 0–2 hold {@code laneLength} symbols, lane 3 the
     * remaining {@code n − 3·laneLength}.
     *
     * <p>Why: a single Huffman stream is one long dependency chain (the position of a code is known only once the previous
     * code's length is looked up), so one stream decodes at the latency of load + table lookup per code, ~3.4 ns. Four
     * independent chains let the core overlap them, as Zstd's Huffman decoder does with its four streams.
     */
    public void decode4(byte[] buf, int[] laneStart, int[] out, int outOffset, int laneLength, int n) {
        final int[] table = this.table;
        final int shift = 64 - TABLE_BITS;
        int last = n - 3 * laneLength;
        if (last < 0 || last > laneLength) {
            throw new IllegalArgumentException("lane 3 must hold 0.." + laneLength + " symbols, not " + last);
        }
        long p0 = (long) laneStart[0] * 8;
        long p1 = (long) laneStart[1] * 8;
        long p2 = (long) laneStart[2] * 8;
        long p3 = (long) laneStart[3] * 8;
        final long e0 = (long) laneStart[1] * 8;
        final long e1 = (long) laneStart[2] * 8;
        final long e2 = (long) laneStart[3] * 8;
        final long e3 = (long) laneStart[4] * 8;
        final int o0 = outOffset;
        final int o1 = outOffset + laneLength;
        final int o2 = outOffset + 2 * laneLength;
        final int o3 = outOffset + 3 * laneLength;
        int j = 0;
        for (; j < last - 1; j += 2) {
            if (p0 > e0 || p1 > e1 || p2 > e2 || p3 > e3) {
                throw overrun(j, n, laneStart[4]);
            }
            long w0 = (long) BE_LONG.get(buf, (int) (p0 >>> 3)) << (p0 & 7);
            long w1 = (long) BE_LONG.get(buf, (int) (p1 >>> 3)) << (p1 & 7);
            long w2 = (long) BE_LONG.get(buf, (int) (p2 >>> 3)) << (p2 & 7);
            long w3 = (long) BE_LONG.get(buf, (int) (p3 >>> 3)) << (p3 & 7);
            int a0 = table[(int) (w0 >>> shift)];
            int a1 = table[(int) (w1 >>> shift)];
            int a2 = table[(int) (w2 >>> shift)];
            int a3 = table[(int) (w3 >>> shift)];
            if ((a0 | a1 | a2 | a3) < 0) { // some code is longer than the table: rare
                a0 = a0 == SLOW ? decodeLong(w0, p0) : a0;
                a1 = a1 == SLOW ? decodeLong(w1, p1) : a1;
                a2 = a2 == SLOW ? decodeLong(w2, p2) : a2;
                a3 = a3 == SLOW ? decodeLong(w3, p3) : a3;
            }
            w0 <<= a0 & 15;
            w1 <<= a1 & 15;
            w2 <<= a2 & 15;
            w3 <<= a3 & 15;
            int b0 = table[(int) (w0 >>> shift)];
            int b1 = table[(int) (w1 >>> shift)];
            int b2 = table[(int) (w2 >>> shift)];
            int b3 = table[(int) (w3 >>> shift)];
            if ((b0 | b1 | b2 | b3) < 0) {
                b0 = b0 == SLOW ? decodeLong(w0, p0) : b0;
                b1 = b1 == SLOW ? decodeLong(w1, p1) : b1;
                b2 = b2 == SLOW ? decodeLong(w2, p2) : b2;
                b3 = b3 == SLOW ? decodeLong(w3, p3) : b3;
            }
            out[o0 + j] = a0 >>> 4;
            out[o1 + j] = a1 >>> 4;
            out[o2 + j] = a2 >>> 4;
            out[o3 + j] = a3 >>> 4;
            out[o0 + j + 1] = b0 >>> 4;
            out[o1 + j + 1] = b1 >>> 4;
            out[o2 + j + 1] = b2 >>> 4;
            out[o3 + j + 1] = b3 >>> 4;
            p0 += (a0 & 15) + (b0 & 15);
            p1 += (a1 & 15) + (b1 & 15);
            p2 += (a2 & 15) + (b2 & 15);
            p3 += (a3 & 15) + (b3 & 15);
        }
        // Tails: each lane on its own from where the interleaved loop stopped.
        p0 = decodeLane(buf, p0, e0, out, o0 + j, laneLength - j, laneStart[4]);
        p1 = decodeLane(buf, p1, e1, out, o1 + j, laneLength - j, laneStart[4]);
        p2 = decodeLane(buf, p2, e2, out, o2 + j, laneLength - j, laneStart[4]);
        p3 = decodeLane(buf, p3, e3, out, o3 + j, last - j, laneStart[4]);
    }

    /** One lane, one code per load; returns the bit position after the last code. */
    private long decodeLane(byte[] buf, long bitPos, long limitBits, int[] out, int offset, int n, int totalBytes) {
        final int shift = 64 - TABLE_BITS;
        for (int i = 0; i < n; i++) {
            if (bitPos > limitBits) {
                throw overrun(i, n, totalBytes);
            }
            long word = (long) BE_LONG.get(buf, (int) (bitPos >>> 3)) << (bitPos & 7);
            int entry = table[(int) (word >>> shift)];
            if (entry == SLOW) {
                entry = decodeLong(word, bitPos);
            }
            out[offset + i] = entry >>> 4;
            bitPos += entry & 15;
        }
        if (bitPos > limitBits) {
            throw overrun(n, n, totalBytes);
        }
        return bitPos;
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
        decodeReference(buf, 0, byteLength, out, outOffset, n);
    }

    /** Bit-at-a-time decoding of the stream in {@code buf[startByte, endByte)}. */
    public void decodeReference(byte[] buf, int startByte, int endByte, int[] out, int outOffset, int n) {
        long limitBits = (long) endByte * 8;
        long bitPos = (long) startByte * 8;
        int byteLength = endByte;
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
