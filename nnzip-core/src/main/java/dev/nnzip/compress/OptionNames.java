package dev.nnzip.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The compression options that are a choice from a fixed list (bound allocation, per-row widths, bias correction): their
 * names as the CLI and the API take them, lower case, and one error that lists the valid ones.
 */
public final class OptionNames {
    private OptionNames() {
    }

    /** The option's name: the constant's, lower case. */
    public static String of(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} named {@code text} (any case, surrounding blanks ignored).
     *
     * @param what the option, for the error ("bound allocation")
     * @throws IllegalArgumentException naming the valid choices
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
        String wanted = text == null ? "" : text.trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(OptionNames::of).collect(Collectors.joining(", ")) + ", was '" + text + "'");
    }
}
