package dev.nnzip.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.graph.Dim;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input/output discovery and batch adaptation, on operator-free graphs (the output is a weight or the input itself),
 * so these tests depend on no operator implementation.
 */
class ModelClassifierTest {
    static final List<Dim> IMAGES_2X2 = List.of(Dim.symbolic("N"), Dim.of(1), Dim.of(2), Dim.of(2));

    static Model model(List<ValueInfo> inputs, ValueInfo output, Map<String, Weight> weights) {
        return new Model("test-model", new Graph("g", List.of(), inputs, List.of(output), weights, Map.of(),
                Map.of("", 13)), dev.nnzip.runtime.weights.MemoryMode.EAGER, null);
    }

    @Test
    void fixedBatchModelIsFedChunksWithTheLastOneZeroPadded() {
        // A model declared for exactly 2 images whose scores are a constant [2, 3] weight: row 0 picks class 2,
        // row 1 picks class 0. Five images must be run as 2 + 2 + (1 + 1 padding) and come back as 5 rows.
        Tensor constant = Tensor.of(new float[] {0, 1, 5, 7, 1, 0}, 2, 3);
        var input = ValueInfo.of("pixels", DType.FLOAT, 2, 1, 2, 2);
        try (Model m = model(List.of(input), ValueInfo.of("scores", DType.FLOAT, 2, 3),
                Map.of("scores", Weight.of("scores", constant)));
             var c = new ModelClassifier(m, 1)) {
            assertThat(c.inputName()).isEqualTo("pixels");
            assertThat(c.outputName()).isEqualTo("scores");
            assertThat(c.fixedBatch()).isEqualTo(2);
            Tensor scores = c.scores(Tensor.zeros(DType.FLOAT, 5, 1, 2, 2));
            assertThat(scores.shape()).containsExactly(5, 3);
            assertThat(Top1.classes(scores)).containsExactly(2, 0, 2, 0, 2);
            assertThat(c.scores(Tensor.zeros(DType.FLOAT, 2, 1, 2, 2)).floats()).containsExactly(constant.floats());
        }
    }

    @Test
    void outputThatIsNotScoresIsReported() {
        // The output is the input itself: rank 4, not [n, classes].
        var input = new ValueInfo("x", DType.FLOAT, IMAGES_2X2);
        try (Model m = model(List.of(input), input, Map.of()); var c = new ModelClassifier(m, 1)) {
            assertThat(c.fixedBatch()).isEqualTo(-1);
            assertThatThrownBy(() -> c.scores(Tensor.zeros(DType.FLOAT, 3, 1, 2, 2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("output 'x' should be scores [3, classes] for 3 images, got FLOAT[3, 1, 2, 2]");
        }
    }

    @Test
    void modelsThatAreNotImageClassifiersAreRejectedUpFront() {
        var a = new ValueInfo("a", DType.FLOAT, IMAGES_2X2);
        var b = new ValueInfo("b", DType.FLOAT, IMAGES_2X2);
        try (Model m = model(List.of(a, b), a, Map.of())) {
            assertThatThrownBy(() -> new ModelClassifier(m, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs exactly one input (the images); model test-model has [a: FLOAT");
        }
        var tokens = new ValueInfo("ids", DType.INT64, List.of(Dim.symbolic("N"), Dim.of(8)));
        try (Model m = model(List.of(tokens), tokens, Map.of())) {
            assertThatThrownBy(() -> new ModelClassifier(m, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must take FLOAT images");
        }
        var flat = new ValueInfo("v", DType.FLOAT, List.of(Dim.symbolic("N"), Dim.of(784)));
        try (Model m = model(List.of(flat), flat, Map.of())) {
            assertThatThrownBy(() -> new ModelClassifier(m, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be images of rank 4");
        }
    }
}
