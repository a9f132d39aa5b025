package dev.nnzip.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.compress.bias.BiasCorrection;
import org.junit.jupiter.api.Test;

class OptionNamesTest {
    @Test
    void choicesParseInAnyCaseAndPrintInLowerCase() {
        assertThat(RowStepScope.parse(" Grouped ")).isEqualTo(RowStepScope.GROUPED);
        assertThat(BoundAllocation.parse("SHARE")).isEqualTo(BoundAllocation.SHARE);
        assertThat(BiasCorrection.parse("bn")).isEqualTo(BiasCorrection.BN);
        assertThat(BiasBounds.parse("Output")).isEqualTo(BiasBounds.OUTPUT);
        assertThat(RowStepScope.FOLDED).hasToString("folded");
        assertThat(BiasCorrection.SEQUENTIAL.cliName()).isEqualTo("sequential");
    }

    @Test
    void anUnknownNameIsRefusedWithTheValidOnes() {
        assertThatThrownBy(() -> BoundAllocation.parse("even"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bound allocation must be one of uniform, size, share, was 'even'");
        assertThatThrownBy(() -> RowStepScope.parse(null))
                .hasMessageStartingWith("row-step scope must be one of none, grouped, folded, all");
    }
}
