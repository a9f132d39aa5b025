package dev.nnzip.codec;

import dev.nnzip.ModelFormatException;

/**
 * A codec payload (tensor parameters or a block) that cannot be decoded: truncated, corrupted, or with a length or count out
 * of the range its header allows. Decoders throw only this for bad input, never an index, arithmetic or allocation error;
 * {@link #offset()} is the byte offset inside the payload where the problem was found (aircompressor's convention).
 */
public class MalformedInputException extends ModelFormatException {
    private final String reason;

    public MalformedInputException(long offset, String reason) {
        super(offset, "malformed codec payload: " + reason);
        this.reason = reason;
    }

    public MalformedInputException(long offset, String reason, Throwable cause) {
        super(offset, "malformed codec payload: " + reason, cause);
        this.reason = reason;
    }

    /** What was wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
