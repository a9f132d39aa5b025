package dev.nnzip.codec.quant;

import dev.nnzip.codec.MalformedInputException;
import dev.nnzip.codec.spi.BytePlanes;
import dev.nnzip.codec.spi.DecodeScratch;
import dev.nnzip.codec.spi.PayloadReader;
import dev.nnzip.codec.spi.PayloadWriter;
import java.util.Arrays;

/**
 * The "unpredictable" values of a block, in value order, stored bit-exactly: {@code varint count} then, if any, their byte
 * planes ({@link BytePlanes}). SZ keeps them the same way (its "unpredictable data"), only truncated to the bound; keeping all
 * 32 bits costs little since they are rare, and makes the escape path exact for any bound including 0.
 */
public final class EscapeValues {
    /** Scratch float slot the decoder reads escapes into. */
    public static final int SCRATCH_SLOT = 0;

    private float[] values = new float[16];
    private int count;

    public void add(float v) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = v;
    }

    public int count() {
        return count;
    }

    public void clear() {
        count = 0;
    }

    public void write(PayloadWriter out) {
        out.varint(count);
        if (count > 0) {
            BytePlanes.write(out, values, 0, count);
        }
    }

    /**
     * Reads the escapes of a block of {@code blockValues} values (there cannot be more escapes than values).
     *
     * @return the values in a scratch array; the count is {@link #readCount}'s result
     */
    public static float[] read(PayloadReader in, int count, boolean reference, DecodeScratch scratch) {
        float[] out = scratch.floats(SCRATCH_SLOT, count);
        if (count > 0) {
            if (reference) {
                BytePlanes.readReference(in, out, 0, count);
            } else {
                BytePlanes.read(in, out, 0, count, scratch);
            }
        }
        return out;
    }

    public static int readCount(PayloadReader in, int blockValues) {
        return in.varint(blockValues, "escape count");
    }

    /**
     * Overwrites the positions whose symbol is {@link QuantCodes#ESCAPE} with the escaped values in order, checking that
     * symbols and values agree in number.
     */
    public static void patch(int[] symbols, float[] escapes, int escapeCount, int count, float[] out, int offset) {
        int k = 0;
        for (int i = 0; i < count; i++) {
            if (symbols[i] == QuantCodes.ESCAPE) {
                if (k == escapeCount) {
                    throw new MalformedInputException(-1, "more escape symbols than escaped values");
                }
                out[offset + i] = escapes[k++];
            }
        }
        if (k != escapeCount) {
            throw new MalformedInputException(-1, escapeCount + " escaped values but " + k + " escape symbols");
        }
    }
}
