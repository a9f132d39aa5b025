package dev.nnzip.codec.spi;

/**
 * Byte-plane shuffle of float bits: plane {@code k} holds byte {@code k} (little-endian) of every value's raw bits, and each
 * plane is written as its own {@link ByteStreams stream}. Sign/exponent bytes of weights are highly repetitive and compress
 * well, low mantissa bytes are noise and are stored as is; interleaved, Zstd would see neither pattern (the "shuffle" filter
 * of Blosc/HDF5, and what the lossless baseline in ANCHORS.md measured at ~1.2× on real weights).
 */
public final class BytePlanes {
    private BytePlanes() {
    }

    public static void write(PayloadWriter out, float[] values, int offset, int count) {
        byte[] plane = new byte[count];
        for (int k = 0; k < 4; k++) {
            int shift = 8 * k;
            for (int i = 0; i < count; i++) {
                plane[i] = (byte) (Float.floatToRawIntBits(values[offset + i]) >>> shift);
            }
            ByteStreams.write(out, plane, 0, count);
        }
    }

    /** Reads {@code count} values written by {@link #write} into {@code out[offset, offset+count)}. */
    public static void read(PayloadReader in, float[] out, int offset, int count, DecodeScratch scratch) {
        byte[] p0 = scratch.bytes(0, count);
        byte[] p1 = scratch.bytes(1, count);
        byte[] p2 = scratch.bytes(2, count);
        byte[] p3 = scratch.bytes(3, count);
        readPlane(in, count, p0, 0);
        readPlane(in, count, p1, 1);
        readPlane(in, count, p2, 2);
        readPlane(in, count, p3, 3);
        for (int i = 0; i < count; i++) {
            int bits = (p0[i] & 0xFF) | (p1[i] & 0xFF) << 8 | (p2[i] & 0xFF) << 16 | p3[i] << 24;
            out[offset + i] = Float.intBitsToFloat(bits);
        }
    }

    /** Byte-at-a-time reassembly, the reference for {@link #read}. */
    public static void readReference(PayloadReader in, float[] out, int offset, int count) {
        byte[][] planes = new byte[4][count + DecodeScratch.PADDING];
        for (int k = 0; k < 4; k++) {
            readPlane(in, count, planes[k], k);
        }
        for (int i = 0; i < count; i++) {
            int bits = 0;
            for (int k = 0; k < 4; k++) {
                bits |= (planes[k][i] & 0xFF) << (8 * k);
            }
            out[offset + i] = Float.intBitsToFloat(bits);
        }
    }

    private static void readPlane(PayloadReader in, int count, byte[] dest, int k) {
        int at = in.position();
        int n = ByteStreams.read(in, count, dest, "byte plane " + k);
        if (n != count) {
            throw new dev.nnzip.codec.MalformedInputException(at, "byte plane " + k + " holds " + n + " bytes, expected "
                    + count);
        }
    }
}
