package dev.nnzip;

/**
 * A model file (.onnx or .nnz) that cannot be read: truncated, corrupted, inconsistent, or out of the supported range.
 * {@link #offset()} is the byte offset in the file where the problem was found, or -1 when it is not about one place.
 */
public class ModelFormatException extends NnzipException {
    private final long offset;

    public ModelFormatException(String message) {
        this(-1, message, null);
    }

    public ModelFormatException(String message, Throwable cause) {
        this(-1, message, cause);
    }

    public ModelFormatException(long offset, String message) {
        this(offset, message, null);
    }

    public ModelFormatException(long offset, String message, Throwable cause) {
        super(offset >= 0 ? message + " (at byte offset " + offset + ")" : message, cause);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
