package dev.nnzip.kernels.blocked;

import dev.nnzip.kernels.Activation;

/**
 * The activations a vector kernel applies in registers as one clamp {@code min(max(v, lower), upper)}: none, ReLU and
 * Clip (ReLU6), which are all MobileNet uses. Any other activation is applied to the stored output afterwards
 * ({@link #inRegisters} false), so kernels keep one simple epilogue and C2 never inlines a dispatch over kinds.
 */
record ActivationBounds(float lower, float upper, boolean inRegisters) {
    static ActivationBounds of(Activation act) {
        return switch (act.kind()) {
            case NONE -> new ActivationBounds(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, true);
            case RELU -> new ActivationBounds(0f, Float.POSITIVE_INFINITY, true);
            case CLIP -> new ActivationBounds(act.alpha(), act.beta(), true);
            default -> new ActivationBounds(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, false);
        };
    }
}
