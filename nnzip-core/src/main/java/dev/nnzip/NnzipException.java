package dev.nnzip;

/** Base of every error nnzip reports to its user; the message says what was wrong and what was expected. */
public class NnzipException extends RuntimeException {
    public NnzipException(String message) {
        super(message);
    }

    public NnzipException(String message, Throwable cause) {
        super(message, cause);
    }
}
