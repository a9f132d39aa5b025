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
}
