package dev.nnzip.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747): 28x28 grey-scale images of clothing in 10 classes,
 * 60,000 for training and 10,000 for testing, in the four IDX files of the original distribution. Debian's
 * {@code dataset-fashion-mnist} package installs them gzipped in {@link #DEFAULT_DIR}; nothing is ever downloaded.
 *
 * <p>Each file may be gzipped ({@code name.gz}, preferred) or plain ({@code name}). A split is read on first use and
 * then kept; every file is checked (magic number, 28x28 images, as many labels as images, exact data length, labels in
 * 0..9) and a problem is reported naming the file and what was expected.
 */
public final class FashionMnist {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** System property that overrides {@link #DEFAULT_DIR}. */
    public static final String DIR_PROPERTY = "nnzip.fashion-mnist.dir";
    public static final int ROWS = 28;
    public static final int COLS = 28;
    /** Class names in label order, from the data set's README. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path dir;
    private LabeledImages test;
    private LabeledImages train;

    private FashionMnist(Path dir) {
        this.dir = dir;
    }

    /** The data set in {@code dir}; nothing is read until a split is asked for. */
    public static FashionMnist at(Path dir) {
        return new FashionMnist(dir);
    }

    /** The data set in {@link #defaultDir()}. */
    public static FashionMnist atDefaultLocation() {
        return at(defaultDir());
    }

    /** {@link #DEFAULT_DIR}, or the directory named by the system property {@value #DIR_PROPERTY}. */
    public static Path defaultDir() {
        String override = System.getProperty(DIR_PROPERTY);
        return override == null || override.isBlank() ? DEFAULT_DIR : Path.of(override);
    }

    /** Whether all four files are present in {@code dir} (gzipped or plain); says nothing about their contents. */
    public static boolean isInstalled(Path dir) {
        for (Split s : Split.values()) {
            if (locate(dir, s.imagesFile) == null || locate(dir, s.labelsFile) == null) {
                return false;
            }
        }
        return true;
    }

    public Path dir() {
        return dir;
    }

    /** The 10,000 test images. */
    public synchronized LabeledImages test() {
        if (test == null) {
            test = read(Split.TEST);
        }
        return test;
    }

    /** The 60,000 training images. */
    public synchronized LabeledImages train() {
        if (train == null) {
            train = read(Split.TRAIN);
        }
        return train;
    }

    private enum Split {
        TRAIN("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        TEST("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

        final String label;
        final String imagesFile;
        final String labelsFile;

        Split(String label, String imagesFile, String labelsFile) {
            this.label = label;
            this.imagesFile = imagesFile;
            this.labelsFile = labelsFile;
        }
    }

    private LabeledImages read(Split split) {
        IdxFile images = IdxFile.read(require(split.imagesFile), 3);
        IdxFile labels = IdxFile.read(require(split.labelsFile), 1);
        int[] dims = images.dims();
        if (dims[1] != ROWS || dims[2] != COLS) {
            throw new DatasetException(images.source() + ": images are " + dims[1] + " x " + dims[2]
                    + ", expected " + ROWS + " x " + COLS);
        }
        if (images.count() != labels.count()) {
            throw new DatasetException(images.source() + " holds " + images.count() + " images but "
                    + labels.source() + " holds " + labels.count() + " labels; expected the same count");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xff;
            if (label >= CLASSES.size()) {
                throw new DatasetException(labels.source() + ": label " + label + " at index " + i
                        + ", expected 0.." + (CLASSES.size() - 1));
            }
        }
        return new LabeledImages("Fashion-MNIST " + split.label, ROWS, COLS, CLASSES.size(), images.data(),
                labelBytes);
    }

    private Path require(String name) {
        Path p = locate(dir, name);
        if (p == null) {
            throw new DatasetException("Fashion-MNIST file " + name + ".gz (or " + name + ") not found in " + dir
                    + "; install Debian's dataset-fashion-mnist package or set -D" + DIR_PROPERTY + "=<dir>");
        }
        return p;
    }

    private static Path locate(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }
}
