package dev.nnzip.eval;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a
 * big-endian magic {@code 0x0000TTRR} (TT = element type, 0x08 for unsigned bytes; RR = rank), RR big-endian
 * 32-bit dimension sizes, then the elements in row-major order. The file may be gzipped (as distributed); gzip is
 * recognised by its magic bytes, not by the file name.
 *
 * @param source the file it was read from (for messages)
 * @param dims   the dimension sizes from the header
 * @param data   the elements, exactly the product of {@code dims} bytes (not copied: large, and nobody writes it)
 */
public record IdxFile(Path source, int[] dims, byte[] data) {
    /** IDX element type code for unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    private static final int GZIP_MAGIC = 0x8b1f;

    public IdxFile {
        dims = dims.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Number of entries along the first dimension (images, labels). */
    public int count() {
        return dims[0];
    }

    /**
     * Reads {@code file}, which must hold unsigned bytes of rank {@code expectedRank}, and checks that the data length is
     * exactly what the header declares (a shorter file is truncated, a longer one is not the file we think it is).
     */
    public static IdxFile read(Path file, int expectedRank) {
        byte[] bytes = decompressedBytes(file);
        int headerBytes = 4 + 4 * expectedRank;
        int expectedMagic = UNSIGNED_BYTE << 8 | expectedRank;
        // The magic first: a file of the wrong kind should be reported as such, not as a short header.
        int magic = bytes.length >= 4 ? ByteBuffer.wrap(bytes, 0, 4).getInt() : -1; // IDX is big-endian, as ByteBuffer
        if (bytes.length >= 4 && magic != expectedMagic) {
            throw new DatasetException(file + ": IDX magic 0x" + hex(magic) + ", expected 0x" + hex(expectedMagic)
                    + " (unsigned bytes, rank " + expectedRank + ")" + describeMagic(magic));
        }
        if (bytes.length < headerBytes) {
            throw new DatasetException(file + ": " + bytes.length + " bytes, too short for an IDX header of "
                    + headerBytes + " bytes (magic 0x" + hex(expectedMagic) + " and " + expectedRank + " sizes)");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 4, headerBytes - 4);
        int[] dims = new int[expectedRank];
        long expectedData = 1;
        for (int i = 0; i < expectedRank; i++) {
            dims[i] = header.getInt();
            if (dims[i] < 0) {
                throw new DatasetException(file + ": IDX dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                        + ", expected at most " + Integer.MAX_VALUE);
            }
        }
        for (int d : dims) {
            // Saturate once past any array length: each factor is < 2^31, so the product cannot overflow a long.
            expectedData = d == 0 ? 0 : expectedData > Integer.MAX_VALUE ? expectedData : expectedData * d;
            if (expectedData == 0) {
                break;
            }
        }
        long actualData = bytes.length - headerBytes;
        if (actualData != expectedData) {
            throw new DatasetException(file + ": header declares " + shape(dims) + " = "
                    + (expectedData > Integer.MAX_VALUE ? "over " + Integer.MAX_VALUE : expectedData)
                    + " data bytes, but the file holds " + actualData
                    + (actualData < expectedData ? " (truncated)" : " (trailing bytes)"));
        }
        return new IdxFile(file, dims, Arrays.copyOfRange(bytes, headerBytes, bytes.length));
    }

    private static byte[] decompressedBytes(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": file not found", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        boolean gzipped = raw.length >= 2 && ((raw[0] & 0xff) | (raw[1] & 0xff) << 8) == GZIP_MAGIC;
        if (!gzipped) {
            return raw;
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        } catch (IOException e) { // ZipException for corrupt data, EOFException for a cut-off stream
            throw new DatasetException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "; this is not an IDX file";
        }
        return "; found element type 0x" + Integer.toHexString(magic >>> 8 & 0xff) + ", rank " + (magic & 0xff);
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    static String shape(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(dims[i]);
        }
        return sb.toString();
    }
}
