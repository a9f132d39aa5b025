package dev.nnzip;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny ONNX models built in code for tests (as ONNX Runtime's Java tests do). */
public final class TestModels {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private int opset = 13;

    /** A float tensor of {@code offset + scale · N(0, 1)} values drawn from {@code r}, for weights of test models. */
    public static dev.nnzip.tensor.Tensor gaussian(java.util.Random r, float scale, float offset, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + scale * (float) r.nextGaussian();
        }
        return dev.nnzip.tensor.Tensor.of(v, shape);
    }

    public static TestModels create() {
        return new TestModels();
    }

    public TestModels opset(int v) {
        opset = v;
        return this;
    }

    public TestModels input(String name, DType type, long... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    public TestModels output(String name, DType type, long... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    public TestModels weight(String name, Tensor t) {
        graph.addInitializer(OnnxTensors.toProto(name, t));
        return this;
    }

    public TestModels node(String opType, String name, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("nnzip-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    public Path write(Path file) throws IOException {
        Files.write(file, build().toByteArray());
        return file;
    }

    static ValueInfoProto valueInfo(String name, DType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.onnxId()).setShape(shape))).build();
    }
}
