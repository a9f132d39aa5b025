package dev.nnzip;

/** The model uses an operator (or an attribute value of one) that nnzip does not implement. Raised at load, never mid-run. */
public class UnsupportedOperatorException extends NnzipException {
    public UnsupportedOperatorException(String message) {
        super(message);
    }
}
