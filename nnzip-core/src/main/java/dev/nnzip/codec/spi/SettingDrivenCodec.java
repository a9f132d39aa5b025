package dev.nnzip.codec.spi;

import dev.nnzip.codec.WeightCodec;

/**
 * The identity every survey codec shares (int8, int4, fp16/bf16, k-means, pruning): a registry name and container id, lossy, and
 * driven by its settings rather than by an error bound ({@link WeightCodec#isErrorBounded()} is false), with its spec
 * text recorded first in the tensor parameters ({@link SpecText}). Subclasses supply the settings and the coding.
 */
public abstract class SettingDrivenCodec implements WeightCodec {
    private final String name;
    private final int id;

    protected SettingDrivenCodec(String name, int id) {
        this.name = name;
        this.id = id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final boolean isLossless() {
        return false;
    }

    /** Driven by its settings, not by the bound; see {@link WeightCodec#isErrorBounded()}. */
    @Override
    public final boolean isErrorBounded() {
        return false;
    }

    @Override
    public String describe(byte[] parameters) {
        return SpecText.describe(parameters, name);
    }
}
