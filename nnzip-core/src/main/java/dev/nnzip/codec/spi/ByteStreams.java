package dev.nnzip.codec.spi;

import dev.nnzip.codec.MalformedInputException;
import java.util.Arrays;

/**
 * The Zstd pass every codec ends with: a byte stream is written either as is or Zstd-compressed, whichever is smaller by a
 * margin. Entropy-coded streams are near-random and would only cost decode time in Zstd, while sparse or repetitive streams
 * (pruned weights, constant tensors, exponent byte planes) shrink a lot: choosing per stream keeps both cases right.
 *
 * <p>Layout: {@code varint rawLength, u8 mode (0 = stored, 1 = zstd)}, then for stored the {@code rawLength} bytes, for zstd
 * {@code varint zstdLength} and the Zstd frame. Readers state the largest raw length the stream may have, so a corrupt
 * length can never cause a large allocation.
 */
public final class ByteStreams {
    private static final int STORED = 0;
    private static final int ZSTD = 1;

    private ByteStreams() {
    }

    /** Appends {@code data[off, off+len)} as a stream. */
    public static void write(PayloadWriter out, byte[] data, int off, int len) {
        out.varint(len);
        if (len >= 64) {
            byte[] z = new byte[ZstdFrames.maxCompressedLength(len)];
            int zlen = ZstdFrames.compress(data, off, len, z, 0);
            // Take Zstd only if it saves more than ~1%: below that the decode time is not worth the bytes.
            if (zlen + 4 < len - (len >> 7)) {
                out.u8(ZSTD).varint(zlen).bytes(z, 0, zlen);
                return;
            }
        }
        out.u8(STORED).bytes(data, off, len);
    }

    /** Size {@link #write} would produce, for the encoders' cost estimates (runs the compressor). */
    public static int encodedSize(byte[] data, int off, int len) {
        PayloadWriter w = new PayloadWriter(len + 16);
        write(w, data, off, len);
        return w.size();
    }

    /**
     * Reads a stream into {@code dest[0, rawLength)} and zeroes {@link DecodeScratch#PADDING} bytes after it.
     *
     * @param dest buffer of at least {@code maxRawLength + PADDING} bytes
     * @return the raw length
     */
    public static int read(PayloadReader in, int maxRawLength, byte[] dest, String what) {
        int rawLength = in.varint(maxRawLength, what + " length");
        int mode = in.u8(what + " mode");
        switch (mode) {
            case STORED -> {
                int at = in.skip(rawLength, what);
                System.arraycopy(in.array(), at, dest, 0, rawLength);
            }
            case ZSTD -> {
                int zlen = in.varint(in.remaining(), what + " zstd length");
                int at = in.skip(zlen, what);
                int got;
                try {
                    got = ZstdFrames.decompress(in.array(), at, zlen, dest, 0, rawLength);
                } catch (IllegalArgumentException e) {
                    throw new MalformedInputException(at, what + ": corrupt Zstd frame (" + e.getMessage() + ")", e);
                }
                if (got != rawLength) {
                    throw new MalformedInputException(at, what + ": Zstd frame holds " + got + " bytes, header says "
                            + rawLength);
                }
            }
            default -> throw new MalformedInputException(in.position() - 1, what + ": unknown stream mode " + mode);
        }
        Arrays.fill(dest, rawLength, rawLength + DecodeScratch.PADDING, (byte) 0);
        return rawLength;
    }
}
