package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextLinesTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEmptyLinesSoRowsStayAlignedWithLines() {
        assertThat(TextLines.parse(utf8("a\n\nb\n"), "t")).containsExactly("a", "", "b");
    }

    @Test
    void dropsCarriageReturnsByteOrderMarkAndTheEmptyTailOnly() {
        assertThat(TextLines.parse(utf8("\uFEFFé one\r\ntwo"), "t")).containsExactly("é one", "two");
        assertThat(TextLines.parse(new byte[0], "t")).isEmpty();
    }

    @Test
    void invalidUtf8NamesLineAndByte() {
        byte[] bytes = {'o', 'k', '\n', 'a', 'b', (byte) 0xFF, 'c', '\n'};
        assertThatThrownBy(() -> TextLines.parse(bytes, "corpus.txt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("corpus.txt line 2: byte 3 is not valid UTF-8 (0xff)");
    }

    @Test
    void truncatedMultiByteSequenceIsInvalidToo() {
        byte[] bytes = {'x', (byte) 0xC3};
        assertThatThrownBy(() -> TextLines.parse(bytes, "f")).hasMessageContaining("f line 1: byte 2");
    }
}
