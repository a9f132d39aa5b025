package dev.nnzip.codec.spi;

import com.github.luben.zstd.Zstd;

/**
 * One-shot Zstd frames through zstd-jni (the reference libzstd), the only place nnzip calls a Zstd library.
 *
 * <p>Why the native library and not a pure-Java port: with aircompressor, the JIT's compilation of its Huffman literal
 * decoder alone needed a 30 MB C2 arena ({@code -XX:CompileCommand=MemStat}); that transient was the largest item in the
 * process's peak RSS when a compressed model is decoded layer by layer (docs/BENCHMARKS.md, issue 4), and it is paid
 * again in every new process. libzstd is compiled ahead of time, so decoding costs no JIT memory at all. The frame
 * format is the same, so files written with either library read with the other.
 */
public final class ZstdFrames {
    /** libzstd's default level: what aircompressor used, so sizes stayed where they were. */
    private static final int LEVEL = 3;

    private ZstdFrames() {
    }

    /** Largest frame {@link #compress} can produce for {@code length} input bytes. */
    public static int maxCompressedLength(int length) {
        return Math.toIntExact(Zstd.compressBound(length));
    }

    /**
     * Compresses {@code src[srcOff, srcOff+length)} into {@code dest} from {@code destOff}, which must have room for
     * {@link #maxCompressedLength}; returns the frame's length.
     */
    public static int compress(byte[] src, int srcOff, int length, byte[] dest, int destOff) {
        long n = Zstd.compressByteArray(dest, destOff, dest.length - destOff, src, srcOff, length, LEVEL);
        if (Zstd.isError(n)) {
            throw new IllegalStateException("Zstd compression failed: " + Zstd.getErrorName(n));
        }
        return (int) n;
    }

    /**
     * Decompresses the frame {@code src[srcOff, srcOff+length)} into {@code dest[destOff, destOff+maxLength)}; returns the
     * number of bytes written.
     *
     * @throws IllegalArgumentException if the frame is corrupt, truncated or holds more than {@code maxLength} bytes;
     *     the message is libzstd's error name
     */
    public static int decompress(byte[] src, int srcOff, int length, byte[] dest, int destOff, int maxLength) {
        // A context per call (libzstd allocates and frees it): a per-thread one would outlive its thread, since
        // zstd-jni frees contexts only on close(), and sessions come and go with threads of their own.
        long n;
        try {
            n = Zstd.decompressByteArray(dest, destOff, maxLength, src, srcOff, length);
        } catch (RuntimeException e) { // zstd-jni reports some errors as exceptions rather than codes
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (Zstd.isError(n)) {
            throw new IllegalArgumentException(Zstd.getErrorName(n));
        }
        return (int) n;
    }
}
