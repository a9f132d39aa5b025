package dev.nnzip.eval;

import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * A set of single-channel 8-bit images with integer class labels, held compactly as bytes and handed out as float
 * batches. Immutable; safe to share between threads.
 */
public final class LabeledImages {
    private final String name;
    private final int rows;
    private final int cols;
    private final int classes;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * @param name    for messages ("Fashion-MNIST test")
     * @param pixels  {@code size * rows * cols} unsigned bytes, image after image, row-major (not copied)
     * @param labels  {@code size} unsigned bytes, each below {@code classes} (not copied)
     */
    public LabeledImages(String name, int rows, int cols, int classes, byte[] pixels, byte[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        if (rows < 1 || cols < 1 || classes < 1) {
            throw new IllegalArgumentException(name + ": rows, cols and classes must be >= 1, were " + rows + ", "
                    + cols + ", " + classes);
        }
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels need " + labels.length + " x "
                    + rows + " x " + cols + " pixels, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xff) + " of image " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    public String name() {
        return name;
    }

    public int size() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int classes() {
        return classes;
    }

    public int label(int image) {
        return labels[Objects.checkIndex(image, labels.length)] & 0xff;
    }

    /** A copy of all labels. */
    public int[] labels() {
        int[] out = new int[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i] & 0xff;
        }
        return out;
    }

    /** The raw pixel value 0..255 of image {@code image} at ({@code row}, {@code col}). */
    public int pixel(int image, int row, int col) {
        Objects.checkIndex(image, labels.length);
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return pixels[(image * rows + row) * cols + col] & 0xff;
    }

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive) as a float tensor [to - from, 1, rows, cols] of
     * pixel / 255, the scaling the reference models take (their normalisation is inside the graph).
     */
    public Tensor images(int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        int pixelsPerImage = rows * cols;
        float[] out = new float[(to - from) * pixelsPerImage];
        int offset = from * pixelsPerImage;
        for (int i = 0; i < out.length; i++) {
            out[i] = (pixels[offset + i] & 0xff) / 255f;
        }
        return Tensor.of(out, to - from, 1, rows, cols);
    }

    /** Images {@code [from, to)}, e.g. to split a test set into a calibration and a held-out half. */
    public LabeledImages range(int from, int to) {
        Objects.checkFromToIndex(from, to, labels.length);
        int px = rows * cols;
        return new LabeledImages(name + "[" + from + ", " + to + ")", rows, cols, classes,
                Arrays.copyOfRange(pixels, from * px, to * px), Arrays.copyOfRange(labels, from, to));
    }

    /** The first {@code n} images (this set itself if {@code n >= size()}). */
    public LabeledImages first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new LabeledImages(name + " (first " + n + ")", rows, cols, classes,
                Arrays.copyOf(pixels, n * rows * cols), Arrays.copyOf(labels, n));
    }

    @Override
    public String toString() {
        return name + " [" + size() + " x " + rows + " x " + cols + ", " + classes + " classes]";
    }
}
