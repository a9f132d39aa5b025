package dev.nnzip.compress;

import java.util.List;

/**
 * What a compression produced. {@code originalBytes} and {@code compressedBytes} are whole files (the .onnx read and the
 * .nnz written), so {@link #ratio()} is the ratio a user sees on disk, graph and container overhead included.
 */
public record CompressionReport(long originalBytes, long compressedBytes, List<TensorReport> tensors) {
    public CompressionReport {
        tensors = List.copyOf(tensors);
    }

    /** One weight: its codec, bound, sizes and the largest error measured by decoding what was written. */
    public record TensorReport(String name, String codec, int[] shape, double errorBound, long rawBytes,
                               long storedBytes, double maxAbsError) {
        public double ratio() {
            return storedBytes == 0 ? 0 : (double) rawBytes / storedBytes;
        }

        /** Stored bits per weight value. */
        public double bitsPerWeight() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n == 0 ? 0 : 8.0 * storedBytes / n;
        }
    }

    public double ratio() {
        return compressedBytes == 0 ? 0 : (double) originalBytes / compressedBytes;
    }
}
