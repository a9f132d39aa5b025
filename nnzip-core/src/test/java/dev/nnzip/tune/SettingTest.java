package dev.nnzip.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.codec.ErrorBound;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingTest {
    @Test
    void labelsNameTheBoundKindWithFourSignificantDigits() {
        assertThat(Setting.relative("smartdnn", 0.01).label()).isEqualTo("smartdnn@rel0.01");
        assertThat(Setting.ofStd("smartdnn", 0.025 * Math.sqrt(2)).label()).isEqualTo("smartdnn@std0.03536");
        assertThat(new Setting("uniform", ErrorBound.absolute(1000)).label()).isEqualTo("uniform@abs1000");
        assertThat(new Setting("lossless", ErrorBound.exact()).label()).isEqualTo("lossless");
        assertThat(new Setting("int4:block=128", ErrorBound.relative(0.01)).label()).isEqualTo("int4:block=128");
    }

    @Test
    void theStdLadderDoublesEveryTwoStepsFromTightToLoose() {
        List<Setting> ladder = LayerwiseTuner.Options.stdLadder("smartdnn");
        List<Setting> std = ladder.stream().filter(s -> s.bound().kind() == ErrorBound.Kind.STD).toList();
        assertThat(ladder.getFirst().codec()).isEqualTo("lossless");
        assertThat(std).hasSize(11);
        assertThat(std.getFirst().bound().value()).isEqualTo(0.025);
        for (int i = 2; i < std.size(); i++) {
            assertThat(std.get(i).bound().value() / std.get(i - 2).bound().value())
                    .isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(ladder).extracting(Setting::codec).contains("int4:block=128", "kmeans:bits=3");
    }

    @Test
    void finerLaddersSpanTheSameBoundsInSmallerSteps() {
        List<Double> std4 = LayerwiseTuner.Options.stdLadder("smartdnn", 4).stream()
                .filter(s -> s.bound().kind() == ErrorBound.Kind.STD).map(s -> s.bound().value()).toList();
        assertThat(std4).hasSize(21);
        assertThat(std4.getFirst()).isEqualTo(0.025);
        assertThat(std4.getLast()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
        for (int i = 1; i < std4.size(); i++) {
            assertThat(std4.get(i) / std4.get(i - 1)).isCloseTo(Math.pow(2, 0.25), org.assertj.core.data.Offset.offset(1e-12));
        }
        // every setting of the default ladder is in the finer one: a finer ladder only adds choices
        List<String> std2 = LayerwiseTuner.Options.stdLadder("smartdnn").stream().map(Setting::label).toList();
        assertThat(LayerwiseTuner.Options.stdLadder("smartdnn", 4).stream().map(Setting::label).toList())
                .containsAll(std2);
        List<Double> rel = LayerwiseTuner.Options.ladder("smartdnn").stream()
                .filter(s -> s.codec().equals("smartdnn")).map(s -> s.bound().value()).toList();
        assertThat(rel).hasSize(7);
        assertThat(rel.getLast()).isCloseTo(0.16, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LayerwiseTuner.Options.ladder("smartdnn", 2).stream()
                .filter(s -> s.codec().equals("smartdnn"))).hasSize(13);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LayerwiseTuner.Options.stdLadder("smartdnn", 0))
                .hasMessageContaining("1..16");
    }
}
