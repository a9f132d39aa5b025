package dev.nnzip;

/** A caller fed a session something it cannot run: an unknown input name, a missing input, a wrong dtype or shape. */
public class InvalidInputException extends NnzipException {
    public InvalidInputException(String message) {
        super(message);
    }
}
