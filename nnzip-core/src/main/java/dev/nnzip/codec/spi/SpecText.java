package dev.nnzip.codec.spi;

import java.nio.charset.StandardCharsets;

/**
 * The codec spec text ({@code int4:block=64}, {@code prune:sparsity=0.5+smartdnn}) that the survey codecs record at the
 * start of their tensor parameters, so a .nnz says with which settings (and, for a chain, with which codecs) each tensor
 * was written. Layout: {@code varint length, UTF-8 bytes}, at most {@value #MAX_BYTES} bytes.
 */
public final class SpecText {
    public static final int MAX_BYTES = 1024;

    private SpecText() {
    }

    /** Writes the header every survey codec's parameters start with: {@code u8 version}, then the spec text. */
    public static void writeHeader(PayloadWriter out, int version, String spec) {
        out.u8(version);
        write(out, spec);
    }

    /**
     * A reader over {@code parameters} past their header ({@link #writeHeader}), after checking the version.
     *
     * @throws dev.nnzip.codec.MalformedInputException naming {@code codec} if the version is not {@code version}
     */
    public static PayloadReader readHeader(byte[] parameters, String codec, int version) {
        PayloadReader in = new PayloadReader(parameters);
        int found = in.u8("version");
        if (found != version) {
            throw new dev.nnzip.codec.MalformedInputException(0, codec + " parameters version " + found + ", expected "
                    + version);
        }
        read(in);
        return in;
    }

    public static void write(PayloadWriter out, String spec) {
        byte[] b = spec.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_BYTES) {
            throw new IllegalArgumentException("codec spec longer than " + MAX_BYTES + " bytes: " + spec);
        }
        out.varint(b.length).bytes(b);
    }

    /** The spec text of parameters that start with {@code u8 version, spec text}, or {@code fallback} if unreadable. */
    public static String describe(byte[] parameters, String fallback) {
        try {
            PayloadReader in = new PayloadReader(parameters);
            in.u8("version");
            return read(in);
        } catch (dev.nnzip.codec.MalformedInputException e) {
            return fallback;
        }
    }

    public static String read(PayloadReader in) {
        int n = in.varint(MAX_BYTES, "codec spec length");
        int at = in.skip(n, "codec spec");
        return new String(in.array(), at, n, StandardCharsets.UTF_8);
    }
}
