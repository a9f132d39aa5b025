package dev.nnzip.codec.spi;

/**
 * Per-thread reusable buffers for block decoding, so decoding a 64 Ki-value block does not allocate (and zero) a few hundred
 * KiB of temporaries each time. Contents are garbage between uses; each slot belongs to one purpose within one decode call.
 */
public final class DecodeScratch {
    /** Bytes every byte buffer keeps zeroed past its payload, so 64-bit bit readers may load a whole word at the end. */
    public static final int PADDING = 16;

    private static final ThreadLocal<DecodeScratch> LOCAL = ThreadLocal.withInitial(DecodeScratch::new);

    private final byte[][] bytes = new byte[8][];
    private final int[][] ints = new int[3][];
    private final float[][] floats = new float[2][];

    public static DecodeScratch get() {
        return LOCAL.get();
    }

    /** A byte buffer of at least {@code minLength + PADDING} bytes for slot {@code slot}. */
    public byte[] bytes(int slot, int minLength) {
        byte[] b = bytes[slot];
        if (b == null || b.length < minLength + PADDING) {
            b = new byte[Math.max(minLength + PADDING, b == null ? 0 : b.length + (b.length >> 1))];
            bytes[slot] = b;
        }
        return b;
    }

    public int[] ints(int slot, int minLength) {
        int[] a = ints[slot];
        if (a == null || a.length < minLength) {
            a = new int[Math.max(minLength, a == null ? 0 : a.length + (a.length >> 1))];
            ints[slot] = a;
        }
        return a;
    }

    public float[] floats(int slot, int minLength) {
        float[] a = floats[slot];
        if (a == null || a.length < minLength) {
            a = new float[Math.max(minLength, a == null ? 0 : a.length + (a.length >> 1))];
            floats[slot] = a;
        }
        return a;
    }
}
