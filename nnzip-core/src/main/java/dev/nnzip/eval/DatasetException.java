package dev.nnzip.eval;

import dev.nnzip.NnzipException;

/**
 * A data set that cannot be used: a file that is missing, truncated, corrupted or not what the reader expected. The
 * message names the file and says what was expected.
 */
public class DatasetException extends NnzipException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
