package dev.nnzip.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.ModelFormatException;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.CompressionReport;
import dev.nnzip.compress.ModelCompressor;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.runtime.weights.MemoryMode;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .nnz container end to end: compress, load, run; and every kind of damaged file gets a clear error. */
class NnzFormatTest {
    @TempDir
    Path dir;
    Path onnx;
    Path nnz;
    static final int IN = 96;
    static final int OUT = 40;

    /** x[N,96] -> MatMul(w[96,40]) -> Add(b[40]) -> Relu -> y, with a shape constant kept as a raw int64 weight. */
    @BeforeEach
    void build() throws Exception {
        SplittableRandom rnd = new SplittableRandom(9);
        float[] w = new float[IN * OUT];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian(0, 0.1);
        }
        float[] b = new float[OUT];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian(0, 0.1);
        }
        onnx = TestModels.create()
                .input("x", DType.FLOAT, -1, IN)
                .weight("w", Tensor.of(w, IN, OUT)).weight("b", Tensor.of(b, OUT))
                .weight("shape", Tensor.vector(-1, OUT))
                .node("MatMul", "mm", new String[] {"x", "w"}, new String[] {"h"})
                .node("Add", "add", new String[] {"h", "b"}, new String[] {"a"})
                .node("Relu", "relu", new String[] {"a"}, new String[] {"r"})
                .node("Reshape", "reshape", new String[] {"r", "shape"}, new String[] {"y"})
                .output("y", DType.FLOAT, -1, OUT)
                .write(dir.resolve("mlp.onnx"));
        nnz = dir.resolve("mlp.nnz");
    }

    private CompressionReport compress(String codec, double rel) throws Exception {
        try (Parallel p = new Parallel(2)) {
            return ModelCompressor.compress(onnx, nnz, CompressionPolicy.of(codec, ErrorBound.relative(rel)), p,
                    ModelCompressor.Progress.NONE);
        }
    }

    private static Map<String, Tensor> input() {
        float[] x = new float[3 * IN];
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return Map.of("x", Tensor.of(x, 3, IN));
    }

    private static float[] run(Path model, MemoryMode mode) {
        try (Model m = Nnz.load(model, mode); Session s = m.newSession(new SessionOptions(1, mode))) {
            return s.run(input()).get("y").floats();
        }
    }

    @Test
    void everyCodecRoundTripsThroughTheContainer() throws Exception {
        float[] reference = run(onnx, MemoryMode.EAGER);
        for (String codec : new String[] {"smartdnn", "sz", "uniform", "lossless"}) {
            CompressionReport r = compress(codec, 1e-3);
            var w = r.tensors().stream().filter(t -> t.name().equals("w")).findFirst().orElseThrow();
            assertThat(w.codec()).isEqualTo(codec);
            assertThat(w.maxAbsError()).isLessThanOrEqualTo(w.errorBound());
            assertThat(r.tensors().stream().filter(t -> t.name().equals("b")).findFirst().orElseThrow().codec())
                    .as("biases stay exact").isEqualTo("lossless");
            assertThat(r.tensors().stream().filter(t -> t.name().equals("shape")).findFirst().orElseThrow().codec())
                    .isEqualTo("raw");
            float[] eager = run(nnz, MemoryMode.EAGER);
            for (MemoryMode mode : new MemoryMode[] {MemoryMode.LAYERWISE, MemoryMode.PREFETCH, MemoryMode.budget(0)}) {
                assertThat(run(nnz, mode)).as("%s in %s", codec, mode).containsExactly(eager);
            }
            // |y - y'| <= sum_k |x_k| * eb for one MatMul followed by Relu (1-Lipschitz)
            for (int i = 0; i < eager.length; i++) {
                assertThat((double) eager[i]).isCloseTo(reference[i], org.assertj.core.data.Offset.offset(
                        IN * 5 * w.errorBound() + 1e-5));
            }
            if (codec.equals("lossless")) {
                assertThat(eager).containsExactly(reference);
            }
        }
    }

    @Test
    void nnzLoadsWithPrefetchByDefaultAndDecodesNothingAtLoad() throws Exception {
        compress("smartdnn", 1e-3);
        try (Model m = Nnz.load(nnz)) {
            assertThat(m.defaultMemory()).isEqualTo(MemoryMode.PREFETCH);
            assertThat(m.residentWeightBytes()).isZero();
        }
    }

    @Test
    void aNanWeightFailsNamingTheTensorAndLeavesNoFile() throws Exception {
        Path bad = TestModels.create().input("x", DType.FLOAT, 1, 2048)
                .weight("poisoned", Tensor.of(nanAt(2048 * 2, 17), 2048, 2))
                .node("MatMul", "mm", new String[] {"x", "poisoned"}, new String[] {"y"})
                .output("y", DType.FLOAT, 1, 2).write(dir.resolve("nan.onnx"));
        try (Parallel p = new Parallel(1)) {
            assertThatThrownBy(() -> ModelCompressor.compress(bad, nnz, CompressionPolicy.of("smartdnn",
                    ErrorBound.relative(1e-3)), p, ModelCompressor.Progress.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poisoned");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .as("no .nnz and no temporary file left").containsExactlyInAnyOrder("mlp.onnx", "nan.onnx");
        }
    }

    private static float[] nanAt(int n, int i) {
        float[] f = new float[n];
        f[i] = Float.NaN;
        return f;
    }

    @Test
    void wrongMagicAndVersionAreRejected() throws Exception {
        compress("smartdnn", 1e-3);
        byte[] b = Files.readAllBytes(nnz);
        byte[] magic = b.clone();
        magic[1] = 'X';
        assertThatThrownBy(() -> NnzFile.open(write(magic))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("bad magic");
        byte[] version = b.clone();
        version[8] = 9;
        assertThatThrownBy(() -> NnzFile.open(write(version))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported .nnz version 9");
    }

    @Test
    void truncationIsDetected() throws Exception {
        compress("smartdnn", 1e-3);
        byte[] b = Files.readAllBytes(nnz);
        for (int len : new int[] {0, 10, 63, 64, b.length / 2, b.length - 1}) {
            assertThatThrownBy(() -> NnzFile.open(write(Arrays.copyOf(b, len))))
                    .as("truncated to %d bytes", len).isInstanceOf(ModelFormatException.class);
        }
    }

    @Test
    void everyFlippedByteInABlockIsCaughtNamingTheTensor() throws Exception {
        compress("smartdnn", 1e-3);
        NnzBlock block;
        try (NnzFile f = NnzFile.open(nnz)) {
            block = f.tensors().get("w").blocks().get(0);
        }
        byte[] b = Files.readAllBytes(nnz);
        for (int i = 0; i < block.length(); i += Math.max(1, block.length() / 40)) {
            byte[] bad = b.clone();
            bad[(int) block.offset() + i] ^= 0x5A;
            Path p = write(bad);
            assertThatThrownBy(() -> run(p, MemoryMode.EAGER)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("tensor 'w' block 0 is corrupted");
        }
    }

    @Test
    void headerOffsetsOutsideTheFileAreRejected() throws Exception {
        compress("smartdnn", 1e-3);
        byte[] b = Files.readAllBytes(nnz);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(NnzFormat.OFF_TABLE_OFFSET, b.length + 1000L);
        assertThatThrownBy(() -> NnzFile.open(write(b))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tensor table").hasMessageContaining("outside the file");
    }

    @Test
    void absurdLengthsInTheTableAreRejectedWithoutAllocating() throws Exception {
        compress("smartdnn", 1e-3);
        // block count of the first tensor -> 2^31-1; table rewritten with a valid CRC so only the length is wrong
        assertThatThrownBy(() -> NnzFile.open(rewriteTable(t -> {
            int blockCountAt = findBlockCount(t);
            t.putInt(blockCountAt, Integer.MAX_VALUE);
        }))).isInstanceOf(ModelFormatException.class).hasMessageContaining("claims 2147483647 blocks");
        assertThatThrownBy(() -> NnzFile.open(rewriteTable(t -> t.putInt(0, Integer.MAX_VALUE))))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("claims 2147483647 tensors");
        assertThatThrownBy(() -> NnzFile.open(rewriteTable(t -> {
            int blockCountAt = findBlockCount(t);
            t.putLong(blockCountAt + 4, 1L << 40); // the first block's offset
        }))).isInstanceOf(ModelFormatException.class).hasMessageContaining("lies outside the file");
    }

    /** Offset of the first entry's block count in an unpacked table (walks the entry layout of docs/FORMAT.md). */
    private static int findBlockCount(ByteBuffer t) {
        int p = 4;
        int nameLen = Short.toUnsignedInt(t.getShort(p));
        p += 2 + nameLen + 1;
        int rank = Byte.toUnsignedInt(t.get(p));
        p += 1 + 4 * rank;
        int codecLen = Byte.toUnsignedInt(t.get(p));
        p += 1 + codecLen;
        int params = t.getInt(p);
        p += 4 + params + 1 + 8 + 8 + 8 + 8;
        return p;
    }

    private Path rewriteTable(java.util.function.Consumer<ByteBuffer> edit) throws Exception {
        byte[] b = Files.readAllBytes(nnz);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int off = (int) h.getLong(NnzFormat.OFF_TABLE_OFFSET);
        int len = (int) h.getLong(NnzFormat.OFF_TABLE_LENGTH);
        byte[] table = Sections.unpack(ByteBuffer.wrap(b, off, len).slice(), off, nnz, "table");
        edit.accept(ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN));
        byte[] packed = Sections.pack(table);
        byte[] out = Arrays.copyOf(b, off + packed.length);
        System.arraycopy(packed, 0, out, off, packed.length);
        ByteBuffer oh = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        oh.putLong(NnzFormat.OFF_TABLE_LENGTH, packed.length);
        oh.putLong(NnzFormat.OFF_FILE_LENGTH, out.length);
        CRC32C crc = new CRC32C();
        crc.update(packed);
        oh.putInt(NnzFormat.OFF_TABLE_CRC, (int) crc.getValue());
        return write(out);
    }

    private Path write(byte[] bytes) throws Exception {
        return Files.write(Files.createTempFile(dir, "damaged", ".nnz"), bytes);
    }
}
