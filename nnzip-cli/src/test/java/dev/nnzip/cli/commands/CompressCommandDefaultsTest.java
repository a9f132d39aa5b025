package dev.nnzip.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.compress.BiasBounds;
import dev.nnzip.compress.BoundAllocation;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.compress.RowStepScope;
import org.junit.jupiter.api.Test;

/**
 * The command's defaults are string copies of {@link CompressionPolicy}'s (an annotation needs a constant): a plain
 * {@code nnzip compress} must be {@link CompressionPolicy#defaults()}.
 */
class CompressCommandDefaultsTest {
    @Test
    void optionDefaultsAreThePolicyDefaults() {
        CompressionPolicy defaults = CompressionPolicy.defaults();
        assertThat(Double.parseDouble(CompressCommand.DEFAULT_BOUND)).isEqualTo(defaults.bound().value());
        assertThat(CompressCommand.DEFAULT_RELATIVE_TO).isEqualTo("std");
        assertThat(defaults.bound()).isEqualTo(CompressionPolicy.DEFAULT_BOUND);
        assertThat(BoundAllocation.parse(CompressCommand.DEFAULT_ALLOCATION)).isEqualTo(defaults.allocation());
        assertThat(RowStepScope.parse(CompressCommand.DEFAULT_ROW_STEPS)).isEqualTo(defaults.rowSteps());
        assertThat(BiasBounds.parse(CompressCommand.DEFAULT_BIAS_BOUNDS)).isEqualTo(defaults.biasBounds());
        assertThat(CompressCommand.DEFAULT_CODEC).isEqualTo(defaults.codec());
    }
}
