package dev.nnzip.codec.spi;

import dev.nnzip.codec.MalformedInputException;

/**
 * Bounds-checked little-endian reader over an untrusted payload. Every read that would pass the end, and every count that
 * exceeds the limit its caller states, throws {@link MalformedInputException} with the offset, so codec parsers never index
 * out of bounds nor allocate from a corrupt length.
 */
public final class PayloadReader {
    private final byte[] buf;
    private final int limit;
    private int pos;

    public PayloadReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public PayloadReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    public byte[] array() {
        return buf;
    }

    public MalformedInputException malformed(String reason) {
        return new MalformedInputException(pos, reason);
    }

    private void need(int n, String what) {
        if (n < 0 || n > limit - pos) {
            throw new MalformedInputException(pos, "truncated: " + what + " needs " + n + " bytes, " + (limit - pos)
                    + " left");
        }
    }

    public int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    /** Unsigned LEB128 int in {@code [0, max]}; rejects encodings over 5 bytes and values above {@code max}. */
    public int varint(int max, String what) {
        int start = pos;
        long v = uvarint32(what);
        if (v > max) {
            throw new MalformedInputException(start, what + " is " + v + ", at most " + max + " allowed");
        }
        return (int) v;
    }

    /** An unsigned 32-bit LEB128 value (up to 5 bytes). */
    private long uvarint32(String what) {
        int start = pos;
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new MalformedInputException(start, what + ": varint longer than 5 bytes");
            }
            int b = u8(what);
            if (shift == 28 && (b & 0xF0) != 0) {
                throw new MalformedInputException(start, what + ": varint exceeds 32 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Zig-zag signed varint in {@code [-bound, bound]}. */
    public int svarint(int bound, String what) {
        int start = pos;
        int z = (int) uvarint32(what);
        int v = (z >>> 1) ^ -(z & 1);
        if (v > bound || v < -bound) {
            throw new MalformedInputException(start, what + " is " + v + ", outside ±" + bound);
        }
        return v;
    }

    public int i32(String what) {
        need(4, what);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    public double f64(String what) {
        long lo = i32(what) & 0xFFFFFFFFL;
        long hi = i32(what) & 0xFFFFFFFFL;
        return Double.longBitsToDouble(lo | hi << 32);
    }

    /** Skips {@code n} bytes, returning the offset where they start. */
    public int skip(int n, String what) {
        need(n, what);
        int start = pos;
        pos += n;
        return start;
    }

    /** Throws unless every byte was consumed (trailing garbage is corruption too). */
    public void expectEnd(String what) {
        if (pos != limit) {
            throw new MalformedInputException(pos, what + ": " + (limit - pos) + " unexpected trailing bytes");
        }
    }
}
