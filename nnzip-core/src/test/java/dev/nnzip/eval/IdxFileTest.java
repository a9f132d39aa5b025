package dev.nnzip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: magic 0x0000_08_rank, the sizes, the data (all big-endian). */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(IdxFile.UNSIGNED_BYTE << 8 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static byte[] sequence(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] data = sequence(2 * 3 * 4);
        Path plain = Files.write(dir.resolve("plain-idx3"), idx(new int[] {2, 3, 4}, data));
        // no .gz suffix on purpose: gzip is recognised by content
        Path gz = Files.write(dir.resolve("packed-idx3"), gzip(idx(new int[] {2, 3, 4}, data)));
        for (Path p : new Path[] {plain, gz}) {
            IdxFile f = IdxFile.read(p, 3);
            assertThat(f.dims()).containsExactly(2, 3, 4);
            assertThat(f.count()).isEqualTo(2);
            assertThat(f.data()).isEqualTo(data);
            assertThat(f.source()).isEqualTo(p);
        }
    }

    @Test
    void wrongRankOrElementTypeIsRejectedNamingFileAndExpectedMagic() throws IOException {
        Path labels = Files.write(dir.resolve("labels"), idx(new int[] {5}, new byte[5]));
        assertThatThrownBy(() -> IdxFile.read(labels, 3))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic 0x00000801, expected 0x00000803");

        byte[] floats = idx(new int[] {1}, new byte[4]);
        floats[2] = 0x0D; // IDX float elements
        Path f = Files.write(dir.resolve("floats"), floats);
        assertThatThrownBy(() -> IdxFile.read(f, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("found element type 0xd, rank 1");
    }

    @Test
    void nonIdxContentIsRejected() throws IOException {
        Path text = Files.writeString(dir.resolve("readme"), "Fashion-MNIST is a data set of Zalando's images");
        assertThatThrownBy(() -> IdxFile.read(text, 3))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void truncatedDataIsRejectedWithDeclaredAndActualLength() throws IOException {
        byte[] full = idx(new int[] {3, 2, 2}, sequence(12));
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 5));
        assertThatThrownBy(() -> IdxFile.read(cut, 3))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("3 x 2 x 2 = 12 data bytes, but the file holds 7 (truncated)");
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] full = idx(new int[] {4}, sequence(4));
        Path longer = Files.write(dir.resolve("longer"), Arrays.copyOf(full, full.length + 2));
        assertThatThrownBy(() -> IdxFile.read(longer, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("= 4 data bytes, but the file holds 6 (trailing bytes)");
    }

    @Test
    void shortHeaderIsRejected() throws IOException {
        Path tiny = Files.write(dir.resolve("tiny"), new byte[] {0, 0, 8, 3, 0, 0});
        assertThatThrownBy(() -> IdxFile.read(tiny, 3))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("6 bytes, too short for an IDX header of 16 bytes");
    }

    @Test
    void negativeDimensionIsRejected() throws IOException {
        Path huge = Files.write(dir.resolve("huge"), idx(new int[] {-1}, new byte[0]));
        assertThatThrownBy(() -> IdxFile.read(huge, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("dimension 0 is 4294967295");
    }

    @Test
    void truncatedGzipStreamIsRejected() throws IOException {
        byte[] packed = gzip(idx(new int[] {100}, sequence(100)));
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(packed, packed.length / 2));
        assertThatThrownBy(() -> IdxFile.read(cut, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("corrupt or truncated gzip data");
    }

    @Test
    void missingFileIsReported() {
        Path none = dir.resolve("absent-idx1-ubyte");
        assertThatThrownBy(() -> IdxFile.read(none, 1))
                .isInstanceOf(DatasetException.class)
                .hasMessage(none + ": file not found");
    }
}
