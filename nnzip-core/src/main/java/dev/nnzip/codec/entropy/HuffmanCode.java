package dev.nnzip.codec.entropy;

import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;

/**
 * A canonical Huffman code over symbols {@code 0 .. alphabetSize-1}, as SZ uses for its quantization codes: only the code
 * lengths are stored, codes are assigned in (length, symbol) order (the DEFLATE convention, RFC 1951 §3.2.2), MSB first.
 *
 * <p>Stored length table: {@code varint end} (one past the highest used symbol), then tokens until {@code end} symbols are
 * covered: a byte {@code 1..15} is the next symbol's length; {@code 0, varint z} skips {@code z+1} unused symbols;
 * {@code 16..255} repeats the previous length {@code token−14} times. Weight histograms are unimodal, so lengths change
 * slowly from symbol to symbol and a table of ~1,000 symbols costs ~100–300 bytes.
 */
public final class HuffmanCode {
    /** Longest code; 4 bits per length, and decoders may assume a code fits in 15 bits. */
    public static final int MAX_LENGTH = 15;

    private final int alphabetSize;
    /**
     * Lengths and codes are kept for the window {@code [first, first + lengths.length)} of symbols that can have a code,
     * not for the whole alphabet: quantization codes use a 65,536-symbol alphabet of which a layer touches a few hundred
     * around the centre, and building a decoder per tensor per inference (layerwise modes) must not walk 64 Ki entries.
     */
    private final int first;
    private final byte[] lengths;
    private final int[] codes;
    private final int maxUsedLength;
    private final int usedSymbols;

    private HuffmanCode(int alphabetSize, int first, byte[] lengths, int[] codes, int maxUsedLength, int usedSymbols) {
        this.alphabetSize = alphabetSize;
        this.first = first;
        this.lengths = lengths;
        this.codes = codes;
        this.maxUsedLength = maxUsedLength;
        this.usedSymbols = usedSymbols;
    }

    /** The optimal (length-limited) code for these symbol frequencies. */
    public static HuffmanCode forFrequencies(long[] freq) {
        byte[] lengths = HuffmanLengths.compute(freq, MAX_LENGTH);
        int lo = 0;
        while (lo < lengths.length && lengths[lo] == 0) {
            lo++;
        }
        int hi = lengths.length;
        while (hi > lo && lengths[hi - 1] == 0) {
            hi--;
        }
        return fromLengths(lengths.length, lo, java.util.Arrays.copyOfRange(lengths, lo, hi), -1);
    }

    /**
     * The canonical code with these lengths. The lengths must form a complete prefix code (Kraft sum exactly 1), or be a
     * single symbol of length 1, or be empty; anything else is rejected, so a decoder built from a corrupt table never
     * meets an undefined bit pattern.
     *
     * @param alphabetSize the number of symbols of the alphabet
     * @param first        the symbol whose length is {@code lengths[0]}; symbols outside the window have no code
     * @param errorOffset  payload offset for the error, or -1 if the lengths came from an encoder
     */
    static HuffmanCode fromLengths(int alphabetSize, int first, byte[] lengths, long errorOffset) {
        int[] countPerLength = new int[MAX_LENGTH + 1];
        int used = 0;
        int maxLen = 0;
        for (byte l : lengths) {
            if (l < 0 || l > MAX_LENGTH) {
                throw new MalformedInputException(errorOffset, "Huffman code length " + l + " outside 0.." + MAX_LENGTH);
            }
            if (l > 0) {
                countPerLength[l]++;
                used++;
                maxLen = Math.max(maxLen, l);
            }
        }
        long kraft = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            kraft += (long) countPerLength[len] << (MAX_LENGTH - len);
        }
        boolean single = used == 1 && maxLen == 1;
        if (used > 1 && kraft != 1L << MAX_LENGTH || used == 1 && !single) {
            throw new MalformedInputException(errorOffset, "Huffman code lengths do not form a complete prefix code");
        }
        int[] nextCode = new int[MAX_LENGTH + 2];
        int code = 0;
        for (int len = 1; len <= MAX_LENGTH; len++) {
            code = (code + countPerLength[len - 1]) << 1;
            nextCode[len] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] > 0) {
                codes[s] = nextCode[lengths[s]]++;
            }
        }
        return new HuffmanCode(alphabetSize, first, lengths, codes, maxLen, used);
    }

    public int alphabetSize() {
        return alphabetSize;
    }

    /** Code length of {@code symbol}, 0 if it has no code. */
    public int length(int symbol) {
        int i = symbol - first;
        return i >= 0 && i < lengths.length ? lengths[i] : 0;
    }

    /** The code of {@code symbol}, right-aligned in {@link #length}(symbol) bits. */
    public int code(int symbol) {
        int i = symbol - first;
        return i >= 0 && i < codes.length ? codes[i] : 0;
    }

    /** The lowest symbol that may have a code; every symbol with a code is in {@code [firstSymbol, endSymbol)}. */
    public int firstSymbol() {
        return first;
    }

    /** One past the highest symbol that may have a code. */
    public int endSymbol() {
        return first + lengths.length;
    }

    public int maxLength() {
        return maxUsedLength;
    }

    public int usedSymbols() {
        return usedSymbols;
    }

    /** Bits needed to code symbols with these frequencies, or {@code Long.MAX_VALUE} if one has no code. */
    public long cost(long[] freq) {
        long bits = 0;
        for (int s = 0; s < freq.length; s++) {
            if (freq[s] != 0) {
                int len = s < alphabetSize ? length(s) : 0;
                if (len == 0) {
                    return Long.MAX_VALUE;
                }
                bits += freq[s] * len;
            }
        }
        return bits;
    }

    /** Appends the length table (see the class comment). */
    public void write(PayloadWriter out) {
        int end = 0;
        for (int s = endSymbol() - 1; s >= first && end == 0; s--) {
            if (length(s) != 0) {
                end = s + 1;
            }
        }
        out.varint(end);
        int s = 0;
        int previous = -1;
        while (s < end) {
            int len = length(s);
            if (len == 0) {
                int z = Math.max(0, first - s); // everything below the window has no code
                while (s + z < end && length(s + z) == 0) {
                    z++;
                }
                out.u8(0).varint(z - 1);
                s += z;
                previous = 0;
            } else if (len == previous) {
                int r = 0;
                while (s + r < end && length(s + r) == len && r < 241) {
                    r++;
                }
                if (r >= 2) {
                    out.u8(r + 14);
                    s += r;
                } else {
                    out.u8(len);
                    s++;
                }
            } else {
                out.u8(len);
                s++;
                previous = len;
            }
        }
    }

    /** Size in bytes {@link #write} produces. */
    public int tableBytes() {
        PayloadWriter w = new PayloadWriter(64);
        write(w);
        return w.size();
    }

    /** Reads a table written by {@link #write} for an alphabet of {@code alphabetSize} symbols. */
    public static HuffmanCode read(PayloadReader in, int alphabetSize) {
        long start = in.position();
        int end = in.varint(alphabetSize, "Huffman table size");
        byte[] lengths = null; // the window [first, end), allocated at the first symbol with a length
        int first = end;
        int s = 0;
        int previous = -1;
        while (s < end) {
            int token = in.u8("Huffman table token");
            if (token == 0) {
                int z = in.varint(end - s - 1, "Huffman table zero run");
                s += z + 1;
                previous = 0;
                continue;
            }
            int r = token <= MAX_LENGTH ? 1 : token - 14;
            int len = token <= MAX_LENGTH ? token : previous;
            if (len <= 0 || r > end - s) {
                throw in.malformed("Huffman table repeat of " + r + " without a length to repeat or past the end");
            }
            if (lengths == null) {
                first = s;
                lengths = new byte[end - first];
            }
            for (int i = 0; i < r; i++) {
                lengths[s++ - first] = (byte) len;
            }
            previous = len;
        }
        return fromLengths(alphabetSize, first, lengths == null ? new byte[0] : lengths, start);
    }
}
