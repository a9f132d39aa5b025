package dev.nnzip.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.TestModels;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressionPolicyTest {
    private static Tensor zeros(int... shape) {
        return Tensor.zeros(DType.FLOAT, shape);
    }

    @Test
    void layerWeightsLossyBiasesTighterSmallAndNormalizationExact() {
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 8, 4, 4).output("y", DType.FLOAT, 1, 16, 4, 4)
                .weight("first", zeros(8, 8, 1, 1))      // 64 values: below the minimum, exact
                .weight("big", zeros(16, 8, 3, 3))       // 1152 values: lossy
                .weight("big_bias", zeros(16))
                .weight("scale", zeros(16)).weight("shift", zeros(16)).weight("mean", zeros(16))
                .weight("var", zeros(16))
                .node("Conv", "c0", new String[] {"x", "first"}, new String[] {"h"})
                .node("Conv", "c1", new String[] {"h", "big", "big_bias"}, new String[] {"c"})
                .node("BatchNormalization", "bn", new String[] {"c", "scale", "shift", "mean", "var"},
                        new String[] {"y"})
                .build();
        ErrorBound bound = ErrorBound.relative(0.01);
        Map<String, CompressionPolicy.Choice> d = CompressionPolicy.of("smartdnn", bound)
                .decide(OnnxImporter.convert(model));

        assertThat(d.get("big")).isEqualTo(new CompressionPolicy.Choice("smartdnn", bound));
        assertThat(d.get("big_bias").codec()).isEqualTo("smartdnn");
        assertThat(d.get("big_bias").bound().kind()).isEqualTo(ErrorBound.Kind.RELATIVE);
        assertThat(d.get("big_bias").bound().value()).isEqualTo(0.01 * CompressionPolicy.BIAS_BOUND_FRACTION);
        assertThat(d.get("first").codec()).isEqualTo("lossless");
        for (String bn : new String[] {"scale", "shift", "mean", "var"}) {
            assertThat(d.get(bn).codec()).as(bn).isEqualTo("lossless");
        }
    }

    /** conv (64 × 8 × 3 × 3 filter of σ-relative bound) with a bias of spread {@code biasSpread}, and a Gemm. */
    private static dev.nnzip.graph.Graph convWithBias(float biasSpread) {
        java.util.Random r = new java.util.Random(5);
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 8, 4, 4).output("y", DType.FLOAT, 1, 4)
                .weight("w", TestModels.gaussian(r, 0.1f, 0, 64, 8, 3, 3))
                .weight("b", TestModels.gaussian(r, biasSpread, 0, 64))
                .weight("fw", TestModels.gaussian(r, 0.1f, 0, 4, 1024)).weight("fb", TestModels.gaussian(r, 1, 0, 4))
                .node("Conv", "c", new String[] {"x", "w", "b"}, new String[] {"h"},
                        TestModels.intsAttr("pads", 1, 1, 1, 1))
                .node("Flatten", "f", new String[] {"h"}, new String[] {"z"})
                .node("Gemm", "fc", new String[] {"z", "fw", "fb"}, new String[] {"y"},
                        TestModels.intAttr("transB", 1))
                .build();
        return OnnxImporter.convert(model);
    }

    @Test
    void aBiasIsAlsoBoundedAgainstTheSpreadOfTheOutputItShifts() {
        var graph = convWithBias(0.5f);
        CompressionPolicy policy = CompressionPolicy.of("smartdnn", ErrorBound.ofStd(0.2))
                .withAllocation(BoundAllocation.SHARE).withBiasBounds(BiasBounds.OUTPUT);
        float[] scales = new float[64];
        java.util.Arrays.fill(scales, 0.5f);
        scales[3] = 0.4f;   // the narrowest live channel sets the bound
        scales[9] = 0.01f;  // below a sixteenth of the median: a near-dead channel, ignored
        Map<String, CompressionPolicy.Choice> d = policy.decide(graph, java.util.Set.of(), Map.of("b", scales));

        double layerBound = d.get("w").bound().value();
        assertThat(d.get("w").bound().kind()).isEqualTo(ErrorBound.Kind.STD);
        assertThat(d.get("b").codec()).isEqualTo("smartdnn");
        assertThat(d.get("b").bound()).isEqualTo(ErrorBound.absolute(
                CompressionPolicy.BIAS_BOUND_FRACTION * layerBound * 0.4f));
        // Without a known output spread (the Gemm's bias here), the bias keeps the bound relative to its own σ.
        assertThat(d.get("fb").bound()).isEqualTo(ErrorBound.ofStd(0.2 * CompressionPolicy.BIAS_BOUND_FRACTION));
        assertThat(policy.decide(graph).get("b").bound())
                .isEqualTo(ErrorBound.ofStd(0.2 * CompressionPolicy.BIAS_BOUND_FRACTION));
        // The default measures a bias against its own spread only.
        assertThat(CompressionPolicy.defaults().biasBounds()).isEqualTo(BiasBounds.OWN);
        assertThat(policy.withBiasBounds(BiasBounds.OWN).decide(graph, java.util.Set.of(), Map.of("b", scales))
                .get("b").bound()).isEqualTo(ErrorBound.ofStd(0.2 * CompressionPolicy.BIAS_BOUND_FRACTION));
    }

    @Test
    void theOutputSpreadNeverLoosensABiasNorOverridesARuleOrANonStdLayerBound() {
        float[] wide = new float[64];
        java.util.Arrays.fill(wide, 100f);
        Map<String, float[]> scales = Map.of("b", wide);
        // A bias whose own σ-relative bound is already the finer one keeps it.
        var graph = convWithBias(0.001f);
        ErrorBound own = ErrorBound.ofStd(0.2 * CompressionPolicy.BIAS_BOUND_FRACTION);
        CompressionPolicy output = CompressionPolicy.of("smartdnn", ErrorBound.ofStd(0.2))
                .withBiasBounds(BiasBounds.OUTPUT);
        assertThat(output.decide(graph, java.util.Set.of(), scales)
                .get("b").bound()).isEqualTo(own);
        // A rule on the bias wins; so does a layer bound that is not a relative noise level (range-relative).
        float[] narrow = new float[64];
        java.util.Arrays.fill(narrow, 1e-3f);
        Map<String, float[]> tight = Map.of("b", narrow);
        assertThat(output.withRule("b", "uniform",
                ErrorBound.absolute(0.5)).decide(graph, java.util.Set.of(), tight).get("b"))
                .isEqualTo(new CompressionPolicy.Choice("uniform", ErrorBound.absolute(0.5)));
        assertThat(CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01)).withBiasBounds(BiasBounds.OUTPUT)
                .decide(graph, java.util.Set.of(), tight)
                .get("b").bound()).isEqualTo(ErrorBound.relative(0.01 * CompressionPolicy.BIAS_BOUND_FRACTION));
        // Output channels that are all constant give nothing to measure against: the bias keeps its own bound.
        assertThat(output.decide(graph, java.util.Set.of(), Map.of("b", new float[64])).get("b").bound())
                .isEqualTo(own);
        // A lossless policy keeps every bias exact.
        assertThat(CompressionPolicy.of("lossless", ErrorBound.exact()).withBiasBounds(BiasBounds.OUTPUT)
                .decide(graph, java.util.Set.of(), tight)
                .get("b").codec()).isEqualTo("lossless");
    }

    @Test
    void losslessDefaultKeepsBiasesExactAndRulesComeFirst() {
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 300).output("y", DType.FLOAT, 1, 4)
                .weight("w", zeros(300, 4)).weight("b", zeros(4))
                .node("Gemm", "fc", new String[] {"x", "w", "b"}, new String[] {"y"})
                .build();
        var graph = OnnxImporter.convert(model);
        assertThat(CompressionPolicy.of("lossless", ErrorBound.exact()).decide(graph).get("b").codec())
                .isEqualTo("lossless");
        var ruled = CompressionPolicy.of("smartdnn", ErrorBound.relative(0.01))
                .withRule("b", "lossless", ErrorBound.exact()).decide(graph);
        assertThat(ruled.get("b").codec()).isEqualTo("lossless");
        assertThat(ruled.get("w").codec()).isEqualTo("smartdnn");
    }

    @Test
    void sizeAllocationGivesSmallerLayersAFinerBoundInProportionToTheSquareRootOfTheirSize() {
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 256).output("y", DType.FLOAT, 1, 16)
                .weight("w1", zeros(256, 64))   // 16,384 values: the largest lossy layer
                .weight("w2", zeros(64, 16))    // 1,024 values: a sixteenth of it
                .weight("tiny", zeros(16, 16))  // 256 values, claimed by a rule
                .node("MatMul", "m1", new String[] {"x", "w1"}, new String[] {"h"})
                .node("MatMul", "m2", new String[] {"h", "w2"}, new String[] {"z"})
                .node("MatMul", "m3", new String[] {"z", "tiny"}, new String[] {"y"})
                .build();
        var graph = OnnxImporter.convert(model);
        ErrorBound bound = ErrorBound.ofStd(0.2);
        CompressionPolicy sized = CompressionPolicy.of("smartdnn", bound).withAllocation(BoundAllocation.SIZE)
                .withRule("tiny", "uniform", ErrorBound.absolute(0.5));
        Map<String, CompressionPolicy.Choice> d = sized.decide(graph);

        assertThat(d.get("w1").bound()).isEqualTo(bound);
        assertThat(d.get("w2").bound().kind()).isEqualTo(ErrorBound.Kind.STD);
        assertThat(d.get("w2").bound().value()).isCloseTo(0.2 / 4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d.get("tiny")).isEqualTo(new CompressionPolicy.Choice("uniform", ErrorBound.absolute(0.5)));
        // The uniform spread, and the policy copies, keep the setting as given.
        assertThat(CompressionPolicy.of("smartdnn", bound).decide(graph).get("w2").bound()).isEqualTo(bound);
        assertThat(sized.allocation()).isEqualTo(BoundAllocation.SIZE);
        // What a per-layer tuner chooses for: every layer weight the policy's own codec gets, whatever bound the
        // allocation gave it, and not the tensor a rule claims.
        assertThat(sized.layerWeights(graph)).containsExactly("w1", "w2");
    }

    @Test
    void shareAllocationScalesEveryLayerByTheSquareRootOfItsShareOfAllLossyWeights() {
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 256).output("y", DType.FLOAT, 1, 16)
                .weight("w1", zeros(256, 48))   // 12,288 values
                .weight("w2", zeros(48, 64))    // 3,072 values
                .weight("w3", zeros(64, 16))    // 1,024 values; 16,384 lossy values in all
                .weight("b3", zeros(16))        // a bias: not a layer weight, not counted
                .node("MatMul", "m1", new String[] {"x", "w1"}, new String[] {"h"})
                .node("MatMul", "m2", new String[] {"h", "w2"}, new String[] {"z"})
                .node("Gemm", "m3", new String[] {"z", "w3", "b3"}, new String[] {"y"})
                .build();
        var graph = OnnxImporter.convert(model);
        ErrorBound bound = ErrorBound.ofStd(0.4);
        Map<String, CompressionPolicy.Choice> d = CompressionPolicy.of("smartdnn", bound)
                .withAllocation(BoundAllocation.SHARE).decide(graph);

        org.assertj.core.data.Offset<Double> exact = org.assertj.core.data.Offset.offset(1e-12);
        assertThat(d.get("w1").bound().value()).isCloseTo(0.4 * Math.sqrt(0.75), exact);
        assertThat(d.get("w2").bound().value()).isCloseTo(0.4 * Math.sqrt(3.0 / 16), exact);
        assertThat(d.get("w3").bound().value()).isCloseTo(0.4 / 4, exact);
        assertThat(d.get("w3").bound().kind()).isEqualTo(ErrorBound.Kind.STD);
        // The total distortion the setting stands for, Σ (Δ_l/σ_l)², is the setting's square whatever the layers.
        double total = 0;
        for (String w : new String[] {"w1", "w2", "w3"}) {
            total += d.get(w).bound().value() * d.get(w).bound().value();
        }
        assertThat(total).isCloseTo(0.4 * 0.4, exact);
        assertThat(d.get("b3").bound().value()).isCloseTo(0.4 * CompressionPolicy.BIAS_BOUND_FRACTION, exact);
    }

    /** x → depthwise 3×3 Conv ("dw", group 32) → 1×1 Conv ("pw") → Flatten → Gemm ("fc", bias "fc_b"). */
    private static dev.nnzip.graph.Graph depthwiseSeparable() {
        var model = TestModels.create()
                .input("x", DType.FLOAT, 1, 32, 4, 4).output("y", DType.FLOAT, 1, 10)
                .weight("dw", zeros(32, 1, 3, 3))   // 288 values, rows of 9
                .weight("pw", zeros(32, 32, 1, 1))  // 1,024 values
                .weight("fc", zeros(512, 10))       // 5,120 values
                .weight("fc_b", zeros(10))
                .node("Conv", "dwconv", new String[] {"x", "dw"}, new String[] {"h"},
                        TestModels.intAttr("group", 32), TestModels.intsAttr("pads", 1, 1, 1, 1))
                .node("Conv", "pwconv", new String[] {"h", "pw"}, new String[] {"p"}, TestModels.intAttr("group", 1))
                .node("Flatten", "flat", new String[] {"p"}, new String[] {"f"})
                .node("Gemm", "gemm", new String[] {"f", "fc", "fc_b"}, new String[] {"y"})
                .build();
        return OnnxImporter.convert(model);
    }

    @Test
    void rowStepScopeGivesPerRowWidthsByLayerKindOnly() {
        var graph = depthwiseSeparable();
        java.util.Set<String> folded = java.util.Set.of("pw", "fc_b"); // as if a BatchNormalization followed pwconv
        ErrorBound bound = ErrorBound.ofStd(0.3);
        CompressionPolicy base = CompressionPolicy.of("smartdnn", bound);
        String stepped = "smartdnn:rowsteps=true";
        Map<RowStepScope, java.util.List<String>> expected = Map.of(
                RowStepScope.NONE, java.util.List.of("smartdnn", "smartdnn", "smartdnn"),
                RowStepScope.GROUPED, java.util.List.of(stepped, "smartdnn", "smartdnn"),
                RowStepScope.FOLDED, java.util.List.of("smartdnn", stepped, "smartdnn"),
                RowStepScope.ALL, java.util.List.of(stepped, stepped, stepped));
        expected.forEach((scope, codecs) -> {
            Map<String, CompressionPolicy.Choice> d = base.withRowSteps(scope).decide(graph, folded);
            assertThat(java.util.List.of(d.get("dw").codec(), d.get("pw").codec(), d.get("fc").codec()))
                    .as(scope.toString()).isEqualTo(codecs);
            // Only the codec changes: the bound and its spread are the scope's business no more than a bias is.
            assertThat(d.get("dw").bound()).isEqualTo(bound);
            assertThat(d.get("fc_b").codec()).as(scope + " bias").isEqualTo("smartdnn");
        });
        // Without the folded set nothing counts as folded.
        assertThat(base.withRowSteps(RowStepScope.FOLDED).decide(graph).get("pw").codec()).isEqualTo("smartdnn");
    }

    @Test
    void rowStepScopeLeavesCodecsWithoutTheSettingAndExplicitSettingsAlone() {
        var graph = depthwiseSeparable();
        ErrorBound bound = ErrorBound.ofStd(0.3);
        assertThat(CompressionPolicy.of("uniform", bound).withRowSteps(RowStepScope.ALL).decide(graph).get("dw")
                .codec()).isEqualTo("uniform");
        assertThat(CompressionPolicy.of("smartdnn:rowsteps=false", bound).withRowSteps(RowStepScope.ALL).decide(graph)
                .get("dw").codec()).isEqualTo("smartdnn:rowsteps=false");
        // In a chain, the stage that takes the setting gets it.
        assertThat(CompressionPolicy.of("prune:sparsity=0.5+smartdnn", bound).withRowSteps(RowStepScope.GROUPED)
                .decide(graph).get("dw").codec()).isEqualTo("prune:sparsity=0.5+smartdnn:rowsteps=true");
        // A rule claims its tensor whatever the scope.
        assertThat(CompressionPolicy.of("smartdnn", bound).withRowSteps(RowStepScope.ALL)
                .withRule("dw", "smartdnn", bound).decide(graph).get("dw").codec()).isEqualTo("smartdnn");
    }
}
