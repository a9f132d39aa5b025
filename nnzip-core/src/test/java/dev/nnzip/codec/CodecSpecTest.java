package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The codec setting syntax: parsed in one place, canonical text, errors that list what is valid. */
class CodecSpecTest {
    @Test
    void parsesStagesAndSettingsInOrder() {
        CodecSpec spec = CodecSpec.parse(" prune:sparsity=0.5 + int8:asym=true,axis=-1 ");
        assertThat(spec.stages()).hasSize(2);
        assertThat(spec.stages().get(0).codec()).isEqualTo("prune");
        assertThat(spec.stages().get(0).settings().asMap()).containsExactly(Map.entry("sparsity", "0.5"));
        assertThat(spec.stages().get(1).settings().asMap()).containsExactly(Map.entry("asym", "true"),
                Map.entry("axis", "-1"));
        assertThat(spec).hasToString("prune:sparsity=0.5+int8:asym=true,axis=-1");
        assertThat(CodecSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(CodecSpec.parse("smartdnn").stages().getFirst().settings().isEmpty()).isTrue();
    }

    @Test
    void malformedSpecsSayWhatIsExpected() {
        assertThatThrownBy(() -> CodecSpec.parse("")).hasMessageContaining("NAME[:KEY=VALUE,...]");
        assertThatThrownBy(() -> CodecSpec.parse("int4:block")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting 'block' of codec 'int4' is not KEY=VALUE");
        assertThatThrownBy(() -> CodecSpec.parse("int4:block=32,block=64")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> CodecSpec.parse("prune+")).hasMessageContaining("without a codec name");
    }

    @Test
    void configureNamesValidCodecsKeysAndRanges() {
        assertThatThrownBy(() -> Codecs.configure("int3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown codec 'int3', expected one of [smartdnn");
        assertThatThrownBy(() -> Codecs.configure("int4:bits=4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'bits' for codec 'int4'; valid: block (values per scale");
        assertThatThrownBy(() -> Codecs.configure("uniform:bits=4"))
                .hasMessageContaining("unknown setting 'bits' for codec 'uniform'; it takes no settings");
        assertThatThrownBy(() -> Codecs.configure("smartdnn:bits=4"))
                .hasMessageContaining("unknown setting 'bits' for codec 'smartdnn'; valid: offset (")
                .hasMessageContaining("rowsteps (");
        assertThatThrownBy(() -> Codecs.configure("smartdnn:rowsteps=maybe"))
                .hasMessageContaining("setting 'rowsteps' must be true or false, was 'maybe'");
        assertThatThrownBy(() -> Codecs.configure("int4:block=4")).hasMessage("int4: setting 'block' must be in [8,"
                + " 1024], was 4");
        assertThatThrownBy(() -> Codecs.configure("kmeans:bits=five"))
                .hasMessageContaining("setting 'bits' must be an integer in [1, 8], was 'five'");
        assertThatThrownBy(() -> Codecs.configure("prune:sparsity=1.5"))
                .hasMessageContaining("'sparsity' must be a number in [0.0, 1.0]");
        assertThatThrownBy(() -> Codecs.configure("prune:sparsity=0.5,threshold=0.1"))
                .hasMessageContaining("either 'sparsity' or 'threshold'");
        assertThatThrownBy(() -> Codecs.configure("int8:asym=maybe")).hasMessageContaining("must be true or false");
    }

    @Test
    void onlyPruneHeadsAChain() {
        assertThat(Codecs.configure("prune:sparsity=0.3+smartdnn").name()).isEqualTo("prune");
        assertThatThrownBy(() -> Codecs.configure("int8+smartdnn"))
                .hasMessageContaining("codec 'int8' cannot be followed by 'smartdnn'");
        assertThatThrownBy(() -> Codecs.configure("prune+prune")).hasMessageContaining("prune cannot follow prune");
    }

    @Test
    void theRecordedSpecIsReadBackForTools() {
        float[] v = {0.1f, -0.2f, 0.3f, 0.05f};
        for (String spec : new String[] {"int4:block=64", "kmeans:bits=3", "int8:asym=true,axis=-1", "bf16",
            "prune:sparsity=0.25+uniform"}) {
            EncodedTensor t = Codecs.configure(spec).encode("w", v, new int[] {2, 2}, ErrorBound.relative(0.01));
            assertThat(Codecs.byName(t.codec()).describe(t.parameters())).isEqualTo(spec);
        }
        assertThat(Codecs.byName("smartdnn").describe(new byte[0])).isEqualTo("smartdnn");
        assertThat(Codecs.byName("int4").describe(new byte[] {1, 99})).isEqualTo("int4"); // unreadable: the name
    }

    @Test
    void settinglessSpecIsTheSharedInstance() {
        assertThat(Codecs.configure("smartdnn")).isSameAs(Codecs.byName("smartdnn"));
        assertThat(Codecs.configure("fp16")).isSameAs(Codecs.byName("fp16"));
    }
}
