package dev.nnzip.codec.spi;

import java.util.Arrays;

/** A growable little-endian byte buffer for building codec payloads. */
public final class PayloadWriter {
    private byte[] buf;
    private int size;

    public PayloadWriter() {
        this(256);
    }

    public PayloadWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public PayloadWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    /** Unsigned LEB128 of a non-negative int (1–5 bytes). */
    public PayloadWriter varint(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must be >= 0, was " + v);
        }
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** Zig-zag signed varint (any int). */
    public PayloadWriter svarint(int v) {
        int z = (v << 1) ^ (v >> 31); // unsigned 32-bit
        ensure(5);
        while ((z & ~0x7F) != 0) {
            buf[size++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[size++] = (byte) z;
        return this;
    }

    public PayloadWriter i32(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
        return this;
    }

    /** The float's raw bits (NaN payloads, -0.0 and denormals survive). */
    public PayloadWriter f32(float v) {
        return i32(Float.floatToRawIntBits(v));
    }

    public PayloadWriter f64(double v) {
        long bits = Double.doubleToRawLongBits(v);
        i32((int) bits);
        return i32((int) (bits >>> 32));
    }

    public PayloadWriter bytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
        return this;
    }

    public PayloadWriter bytes(byte[] src) {
        return bytes(src, 0, src.length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
