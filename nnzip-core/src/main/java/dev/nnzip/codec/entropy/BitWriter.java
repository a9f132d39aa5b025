package dev.nnzip.codec.entropy;

import java.util.Arrays;

/** MSB-first bit writer: the first bit written is the top bit of the first byte. */
public final class BitWriter {
    private byte[] buf;
    private int size;
    private long acc;
    private int accBits;

    public BitWriter(int initialBytes) {
        buf = new byte[Math.max(16, initialBytes)];
    }

    /** Writes the low {@code length} bits of {@code bits}, most significant first ({@code length <= 32}). */
    public void write(int bits, int length) {
        acc = (acc << length) | (bits & ((1L << length) - 1));
        accBits += length;
        if (accBits >= 32) {
            if (size + 4 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int shift = accBits - 32;
            int word = (int) (acc >>> shift);
            buf[size] = (byte) (word >>> 24);
            buf[size + 1] = (byte) (word >>> 16);
            buf[size + 2] = (byte) (word >>> 8);
            buf[size + 3] = (byte) word;
            size += 4;
            accBits = shift;
            acc &= (1L << shift) - 1;
        }
    }

    /** Bytes written so far after padding the last byte with zero bits. */
    public byte[] finish() {
        while (accBits > 0) {
            int take = Math.min(8, accBits);
            int b = (int) (acc >>> (accBits - take)) << (8 - take);
            if (size + 1 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
            accBits -= take;
            acc &= (1L << accBits) - 1;
        }
        return Arrays.copyOf(buf, size);
    }
}
