package dev.nnzip.format;

/** Constants of the .nnz layout (docs/FORMAT.md). All integers are little-endian. */
final class NnzFormat {
    private NnzFormat() {
    }

    /** PNG-style magic: a high byte, the name, CR LF, ^Z, LF — any text-mode mangling of the file is detected. */
    static final byte[] MAGIC = {(byte) 0x89, 'N', 'N', 'Z', '\r', '\n', 0x1A, '\n'};
    static final int MAJOR = 1;
    static final int MINOR = 0;
    static final int HEADER_BYTES = 64;
    /** Block payloads start on this boundary (small: a model of hundreds of tiny tensors must not pay for padding). */
    static final int ALIGNMENT = 16;

    // header field offsets
    static final int OFF_MAJOR = 8;
    static final int OFF_MINOR = 10;
    static final int OFF_FLAGS = 12;
    static final int OFF_GRAPH_OFFSET = 16;
    static final int OFF_GRAPH_LENGTH = 24;
    static final int OFF_TABLE_OFFSET = 32;
    static final int OFF_TABLE_LENGTH = 40;
    static final int OFF_FILE_LENGTH = 48;
    static final int OFF_GRAPH_CRC = 56;
    static final int OFF_TABLE_CRC = 60;

    /** Upper bounds that keep a hostile table from making the reader allocate or loop without end. */
    static final int MAX_RANK = 64;
    static final int MAX_NAME_BYTES = 1 << 16;
    static final int MAX_CODEC_NAME_BYTES = 255;
}
