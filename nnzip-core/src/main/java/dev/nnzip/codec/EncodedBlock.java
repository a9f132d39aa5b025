package dev.nnzip.codec;

/**
 * One independently decodable slice of an encoded tensor: {@code valueCount} consecutive weights and the codec's bytes for
 * them. The payload array is held as is (not copied), because blocks are large and are read by many threads; nobody may
 * modify it after the block is built.
 */
public record EncodedBlock(int valueCount, byte[] payload) {
    public EncodedBlock {
        if (valueCount < 0) {
            throw new IllegalArgumentException("block value count must be >= 0, was " + valueCount);
        }
        if (payload == null) {
            throw new IllegalArgumentException("block payload must not be null");
        }
    }

    /** Payload size in bytes. */
    public int size() {
        return payload.length;
    }
}
