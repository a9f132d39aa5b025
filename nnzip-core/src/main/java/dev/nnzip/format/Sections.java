package dev.nnzip.format;

import dev.nnzip.ModelFormatException;
import dev.nnzip.codec.spi.ZstdFrames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The graph and the tensor table are stored Zstd-compressed: node names, attribute keys and tensor names repeat a lot,
 * and for small models (a MobileNet of 135 k parameters) the uncompressed graph alone would be a third of a well
 * compressed file. Layout: u32 raw length, then one Zstd frame.
 */
final class Sections {
    /** A section larger than this is refused before anything is allocated for it. */
    static final int MAX_RAW_BYTES = 1 << 30;

    private Sections() {
    }

    static byte[] pack(byte[] raw) {
        byte[] out = new byte[4 + ZstdFrames.maxCompressedLength(raw.length)];
        int n = ZstdFrames.compress(raw, 0, raw.length, out, 4);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(0, raw.length);
        return java.util.Arrays.copyOf(out, 4 + n);
    }

    static byte[] unpack(ByteBuffer stored, long offset, Path path, String what) {
        if (stored.remaining() < 4) {
            throw new ModelFormatException(offset, path + ": the " + what + " section is too short");
        }
        int raw = stored.order(ByteOrder.LITTLE_ENDIAN).getInt(stored.position());
        if (raw < 0 || raw > MAX_RAW_BYTES) {
            throw new ModelFormatException(offset, path + ": the " + what + " section claims " + raw
                    + " bytes, at most " + MAX_RAW_BYTES + " are allowed");
        }
        byte[] in = new byte[stored.remaining() - 4];
        stored.duplicate().position(stored.position() + 4).get(in);
        byte[] out = new byte[raw];
        int n;
        try {
            n = ZstdFrames.decompress(in, 0, in.length, out, 0, out.length);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(offset, path + ": the " + what + " section cannot be decompressed: "
                    + e.getMessage(), e);
        }
        if (n != raw) {
            throw new ModelFormatException(offset, path + ": the " + what + " section decompressed to " + n
                    + " bytes, expected " + raw);
        }
        return out;
    }
}
