package dev.nnzip.codec.smartdnn;

import dev.nnzip.codec.quant.QuantCodes;
import dev.nnzip.codec.spi.BoundCheck;

/**
 * The Smart-DNN+ quantizer in folded form. With {@code s = ±1} the sign and {@code α_s} the group's scale for that sign, the
 * paper's bucket id {@code id = round((w − α_s·s) / 2eb)} and reconstruction {@code ŵ = α_s·s + 2eb·id} are coded here as
 * {@code m = s·id = round((|w| − α_s) / 2eb)} and {@code ŵ = s·(α_s + 2eb·m)}. The two are the same quantizer; the folded
 * id makes positive and negative residuals share one distribution, so one Huffman code fits both (a mirrored pair of
 * distributions would otherwise cost an extra bit of mixing).
 *
 * <p>{@link #reconstruct} is the one definition of {@code ŵ} in float arithmetic: the encoder checks the bound with it and
 * both decoders compute exactly it (the magnitude first, then the sign, so even the sign of a zero agrees).
 */
final class SmartDnnQuantizer {
    private SmartDnnQuantizer() {
    }

    /** The binary quantizer's sign bit: the float's own sign bit (so −0.0 counts as negative). */
    static boolean negative(float w) {
        return Float.floatToRawIntBits(w) < 0;
    }

    static float reconstruct(boolean negative, float alpha, int symbol, float step) {
        float magnitude = alpha + (float) (symbol - QuantCodes.CENTER) * step;
        return negative ? -magnitude : magnitude;
    }

    /**
     * Whether a value with this symbol carries a sign bit when zero signs are elided: not for escapes (stored raw) and not
     * for id 0, whose reconstruction {@code ±(0 + 0·step)} is a zero either way.
     */
    static boolean signed(int symbol) {
        return symbol != QuantCodes.CENTER && symbol != QuantCodes.ESCAPE;
    }

    /**
     * The folded bucket symbol of {@code w}, or {@link QuantCodes#ESCAPE} if it is out of range or would miss the bound.
     *
     * @param elideZeroSigns the decoder will take a value whose symbol is not {@link #signed} as positive
     */
    static int quantize(float w, float alpha, float step, double eb, boolean elideZeroSigns) {
        if (step == 0) {
            return QuantCodes.ESCAPE;
        }
        int symbol = QuantCodes.symbol(QuantCodes.bin((double) Math.abs(w) - alpha, step));
        if (symbol == QuantCodes.ESCAPE) {
            return symbol;
        }
        boolean negative = negative(w) && !(elideZeroSigns && !signed(symbol));
        return BoundCheck.within(w, reconstruct(negative, alpha, symbol, step), eb) ? symbol : QuantCodes.ESCAPE;
    }
}
