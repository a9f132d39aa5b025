package dev.nnzip.text;

import dev.nnzip.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a text file of one sentence per line, strictly as UTF-8.
 *
 * <p>Rules (documented in README.md, "Text embeddings"): lines end at LF; a CR before the LF is dropped; a UTF-8 byte
 * order mark at the start is dropped; a final line without LF counts, an empty tail after the last LF does not.
 * <b>Empty lines are kept</b> and embedded like any other line (the tokenizer turns "" into [CLS] [SEP]) so that row
 * {@code i} of the output always belongs to line {@code i + 1} of the file. Bytes that are not valid UTF-8 are an error
 * naming the line and byte column, rather than being silently replaced: a replaced character would change the tokens
 * and so the embedding without anyone noticing.
 */
public final class TextLines {
    private TextLines() {
    }

    public static List<String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read text file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Splits and decodes {@code bytes}; {@code source} names the input in error messages. */
    public static List<String> parse(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        List<String> lines = new ArrayList<>();
        int lineNo = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            lines.add(decode(decoder, bytes, start, contentEnd, lineNo, source));
            start = end + 1;
            lineNo++;
        }
        return lines;
    }

    private static String decode(CharsetDecoder decoder, byte[] bytes, int from, int to, int lineNo, String source) {
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            int column = firstInvalidByte(bytes, from, to) - from + 1;
            throw new InvalidInputException(source + " line " + lineNo + ": byte " + column
                    + " is not valid UTF-8 (0x" + Integer.toHexString(bytes[from + column - 1] & 0xFF)
                    + "); the text file must be UTF-8, one sentence per line");
        }
    }

    /** Index of the first byte where decoding fails (the decoder's exception does not say where). */
    private static int firstInvalidByte(byte[] bytes, int from, int to) {
        CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        var in = ByteBuffer.wrap(bytes, from, to - from);
        var out = java.nio.CharBuffer.allocate(to - from + 1);
        var result = probe.decode(in, out, true);
        return result.isError() ? in.position() : from;
    }
}
