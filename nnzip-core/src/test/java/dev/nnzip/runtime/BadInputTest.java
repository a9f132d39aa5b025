package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.InvalidInputException;
import dev.nnzip.ModelFormatException;
import dev.nnzip.Nnz;
import dev.nnzip.TestModels;
import dev.nnzip.UnsupportedOperatorException;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a clear error naming what was wrong and what was expected. */
class BadInputTest {
    @TempDir
    Path dir;

    /** x[N,4] -> Relu -> y, with a dynamic batch dimension. */
    private Path reluModel() throws Exception {
        return TestModels.create()
                .input("x", DType.FLOAT, -1, 4)
                .node("Relu", "relu1", new String[] {"x"}, new String[] {"y"})
                .output("y", DType.FLOAT, -1, 4)
                .write(dir.resolve("relu.onnx"));
    }

    @Test
    void runsTheValidModel() throws Exception {
        try (Model m = Nnz.load(reluModel()); Session s = m.newSession(new SessionOptions(1))) {
            Tensor y = s.run(Map.of("x", Tensor.of(new float[] {-1, 2, -3, 4}, 1, 4))).get("y");
            assertThat(y.floats()).containsExactly(0, 2, 0, 4);
        }
    }

    @Test
    void truncatedOnnxNamesTheFile() throws Exception {
        byte[] full = Files.readAllBytes(reluModel());
        Path cut = Files.write(dir.resolve("cut.onnx"), Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> Nnz.load(cut)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("cut.onnx").hasMessageContaining("not a valid ONNX model");
    }

    @Test
    void garbageIsNotAModel() throws Exception {
        Path junk = Files.write(dir.resolve("junk.onnx"), "this is not protobuf at all".getBytes());
        assertThatThrownBy(() -> Nnz.load(junk)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("junk.onnx");
    }

    @Test
    void corruptedWeightLengthNamesTheTensor() throws Exception {
        var proto = TestModels.create()
                .input("x", DType.FLOAT, 2)
                .weight("w", Tensor.of(new float[] {1, 2}, 2))
                .node("Add", "add", new String[] {"x", "w"}, new String[] {"y"})
                .output("y", DType.FLOAT, 2).build();
        var broken = proto.toBuilder();
        broken.getGraphBuilder().getInitializerBuilder(0).clearDims().addDims(3); // 3 floats declared, 8 bytes stored
        Path file = Files.write(dir.resolve("bad-weight.onnx"), broken.build().toByteArray());
        assertThatThrownBy(() -> Nnz.load(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'w'").hasMessageContaining("needs 12");
    }

    @Test
    void unknownOperatorFailsAtLoadNamingOpNodeAndOpset() throws Exception {
        Path file = TestModels.create()
                .input("x", DType.FLOAT, 4)
                .node("FancyNewOp", "mystery", new String[] {"x"}, new String[] {"y"})
                .output("y", DType.FLOAT, 4).write(dir.resolve("unknown.onnx"));
        assertThatThrownBy(() -> Nnz.load(file)).isInstanceOf(UnsupportedOperatorException.class)
                .hasMessageContaining("FancyNewOp").hasMessageContaining("'mystery'").hasMessageContaining("opset 13");
    }

    @Test
    void wrongInputNameListsTheExpectedOnes() throws Exception {
        try (Model m = Nnz.load(reluModel()); Session s = m.newSession(new SessionOptions(1))) {
            assertThatThrownBy(() -> s.run(Map.of("X", Tensor.of(new float[4], 1, 4))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unknown input name 'X'").hasMessageContaining("[x]");
        }
    }

    @Test
    void wrongShapeNamesDeclaredShape() throws Exception {
        try (Model m = Nnz.load(reluModel()); Session s = m.newSession(new SessionOptions(1))) {
            assertThatThrownBy(() -> s.run(Map.of("x", Tensor.of(new float[5], 1, 5))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("[1, 5]").hasMessageContaining("expected [N, 4]");
        }
    }

    @Test
    void wrongDtypeFromNpyNamesBothTypes() throws Exception {
        Path npy = dir.resolve("x.npy");
        Npy.write(npy, Tensor.of(new double[] {1, 2, 3, 4}, 1, 4));
        Tensor x = Npy.read(npy);
        try (Model m = Nnz.load(reluModel()); Session s = m.newSession(new SessionOptions(1))) {
            assertThatThrownBy(() -> s.run(Map.of("x", x)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("DOUBLE").hasMessageContaining("expected FLOAT");
        }
    }

    @Test
    void missingFileIsClear() {
        assertThatThrownBy(() -> Nnz.load(dir.resolve("nope.onnx"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not exist");
    }
}
