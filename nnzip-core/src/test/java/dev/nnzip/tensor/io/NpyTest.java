package dev.nnzip.tensor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryWritableType() throws Exception {
        Tensor[] tensors = {
            Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE, 3e38f, 5, 6}, 2, 3),
            Tensor.of(new double[] {1e-300, 2}, 2),
            Tensor.of(new long[] {Long.MIN_VALUE, 7}, 2, 1),
            Tensor.wrap(DType.INT32, new int[] {3}, new long[] {-1, 0, Integer.MAX_VALUE}),
            Tensor.wrap(DType.UINT8, new int[] {2}, new long[] {0, 255}),
            Tensor.of(new boolean[] {true, false}, 2),
            Tensor.of(new float[] {42}),
        };
        for (Tensor t : tensors) {
            Path f = dir.resolve(t.dtype() + ".npy");
            Npy.write(f, t);
            Tensor back = Npy.read(f);
            assertThat(back.dtype()).isEqualTo(t.dtype());
            assertThat(back.shape()).isEqualTo(t.shape());
            for (int i = 0; i < t.size(); i++) {
                assertThat(Double.doubleToRawLongBits(back.getDouble(i)))
                        .isEqualTo(Double.doubleToRawLongBits(t.getDouble(i)));
            }
        }
    }

    @Test
    void headerIsPaddedTo64Bytes() throws Exception {
        Path f = dir.resolve("a.npy");
        Npy.write(f, Tensor.of(new float[] {1, 2, 3}, 3));
        byte[] b = Files.readAllBytes(f);
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertThat((10 + headerLen) % 64).isZero();
        assertThat(new String(b, 10, headerLen, StandardCharsets.ISO_8859_1)).contains("'shape': (3,)");
    }

    @Test
    void hostileShapeIsRejectedBeforeAllocating() throws Exception {
        Path f = dir.resolve("huge.npy");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }";
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(f, b.array());
        assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(Npy.NpyFormatException.class)
                .hasMessageContaining("huge.npy").hasMessageContaining("data bytes");
    }

    @Test
    void badMagicAndTruncationAreNamed() throws Exception {
        Path f = dir.resolve("t.npy");
        Npy.write(f, Tensor.of(new float[] {1, 2, 3, 4}, 4));
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 3));
        assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(Npy.NpyFormatException.class)
                .hasMessageContaining("needs 16 data bytes");
        b[1] = 'X';
        Files.write(f, b);
        assertThatThrownBy(() -> Npy.read(f)).isInstanceOf(Npy.NpyFormatException.class).hasMessageContaining("magic");
    }

    @Test
    void unsupportedDtypeListsValidOnes() throws Exception {
        Path f = dir.resolve("c.npy");
        String dict = "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }";
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        Files.write(f, b.array());
        assertThatThrownBy(() -> Npy.read(f)).hasMessageContaining("'<c8'").hasMessageContaining("<f4");
    }
}
