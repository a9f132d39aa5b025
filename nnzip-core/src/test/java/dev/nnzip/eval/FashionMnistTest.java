package dev.nnzip.eval;

import static dev.nnzip.eval.IdxFileTest.gzip;
import static dev.nnzip.eval.IdxFileTest.idx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    static FashionMnist installed() {
        Path d = FashionMnist.defaultDir();
        assumeTrue(FashionMnist.isInstalled(d), "Fashion-MNIST (Debian dataset-fashion-mnist) is not installed in " + d);
        return FashionMnist.at(d);
    }

    @Test
    void realTestSplitHasTenThousandBalancedImages() {
        LabeledImages test = installed().test();
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.rows()).isEqualTo(28);
        assertThat(test.cols()).isEqualTo(28);
        assertThat(test.classes()).isEqualTo(10);
        // The first labels of t10k-labels-idx1-ubyte: Ankle boot, Pullover, Trouser, Trouser, Shirt, ...
        assertThat(Arrays.copyOf(test.labels(), 10)).containsExactly(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            assertThat(label).isBetween(0, 9);
            perClass[label]++;
        }
        assertThat(perClass).containsOnly(1000);
        long pixelSum = 0; // checksum of the whole image file, computed independently with numpy
        for (int i = 0; i < test.size(); i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    pixelSum += test.pixel(i, r, c);
                }
            }
        }
        assertThat(pixelSum).isEqualTo(573_469_082L);
    }

    @Test
    void realTrainSplitHasSixtyThousandBalancedImages() {
        LabeledImages train = installed().train();
        assertThat(train.size()).isEqualTo(60_000);
        assertThat(Arrays.copyOf(train.labels(), 5)).containsExactly(9, 0, 0, 3, 0);
        int[] perClass = new int[10];
        for (int label : train.labels()) {
            perClass[label]++;
        }
        assertThat(perClass).containsOnly(6000);
    }

    @Test
    void imageBatchesArePixelsOver255InNchwLayout() {
        LabeledImages test = installed().test();
        Tensor batch = test.images(1, 4);
        assertThat(batch.shape()).containsExactly(3, 1, 28, 28);
        float[] f = batch.floats();
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    assertThat(f[(i * 28 + r) * 28 + c]).isEqualTo(test.pixel(1 + i, r, c) / 255f);
                }
            }
        }
        assertThat(test.pixel(0, 14, 14)).isEqualTo(110);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : test.images(0, 10_000).floats()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void truncatedCopyOfRealFileFailsNamingTheFile() throws IOException {
        Path real = installed().dir();
        for (String name : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            byte[] bytes = Files.readAllBytes(real.resolve(name));
            Files.write(dir.resolve(name), name.contains("labels") ? Arrays.copyOf(bytes, bytes.length - 100) : bytes);
        }
        assertThatThrownBy(() -> FashionMnist.at(dir).test())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.resolve("t10k-labels-idx1-ubyte.gz").toString())
                .hasMessageContaining("truncated");
    }

    /** Writes a small test split: {@code n} images of {@code rows x cols} and the given labels. */
    private void writeTestSplit(int n, int rows, int cols, byte[] labels, boolean gzipped) throws IOException {
        byte[] pixels = new byte[n * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        byte[] images = idx(new int[] {n, rows, cols}, pixels);
        byte[] labelFile = idx(new int[] {labels.length}, labels);
        String suffix = gzipped ? ".gz" : "";
        Files.write(dir.resolve("t10k-images-idx3-ubyte" + suffix), gzipped ? gzip(images) : images);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), gzipped ? gzip(labelFile) : labelFile);
    }

    @Test
    void readsPlainUncompressedFiles() throws IOException {
        writeTestSplit(3, 28, 28, new byte[] {4, 0, 9}, false);
        LabeledImages test = FashionMnist.at(dir).test();
        assertThat(test.labels()).containsExactly(4, 0, 9);
        assertThat(test.pixel(1, 0, 3)).isEqualTo((28 * 28 + 3) & 0xff);
        assertThat(FashionMnist.isInstalled(dir)).as("train split is missing").isFalse();
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        writeTestSplit(3, 28, 28, new byte[] {1, 2}, true);
        assertThatThrownBy(() -> FashionMnist.at(dir).test())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("holds 3 images but")
                .hasMessageContaining("holds 2 labels; expected the same count");
    }

    @Test
    void labelsOutsideTheTenClassesAreRejected() throws IOException {
        writeTestSplit(2, 28, 28, new byte[] {3, 10}, true);
        assertThatThrownBy(() -> FashionMnist.at(dir).test())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("t10k-labels-idx1-ubyte.gz: label 10 at index 1, expected 0..9");
    }

    @Test
    void imagesMustBe28By28() throws IOException {
        writeTestSplit(2, 32, 32, new byte[] {3, 1}, true);
        assertThatThrownBy(() -> FashionMnist.at(dir).test())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("images are 32 x 32, expected 28 x 28");
    }

    @Test
    void missingFilesAreReportedWithTheInstallHint() {
        assertThatThrownBy(() -> FashionMnist.at(dir).test())
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte) not found in " + dir)
                .hasMessageContaining("dataset-fashion-mnist");
    }
}
