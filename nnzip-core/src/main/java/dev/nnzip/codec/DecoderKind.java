package dev.nnzip.codec;

/** Which decoder implementation to use: the optimised one, or the plain scalar one kept as its test oracle. */
public enum DecoderKind {
    /** Table-driven entropy decoding, fused loops; what the runtime uses. */
    FAST,
    /**
     * Bit-by-bit canonical Huffman decoding and the reconstruction formulas written out literally. Slow; exists so tests
     * can check {@link #FAST} against an implementation that is obviously the specification.
     */
    REFERENCE
}
