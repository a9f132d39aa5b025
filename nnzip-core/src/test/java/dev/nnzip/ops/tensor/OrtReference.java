package dev.nnzip.ops.tensor;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.nnzip.Nnz;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a one-node ONNX model through both ONNX Runtime and nnzip, for behaviour the backend node tests do not cover
 * (newer opsets, attribute combinations). Input 0 is a float graph input; the other inputs are initializers, as
 * exporters write them. An absent optional input is passed as null.
 */
final class OrtReference {
    private final String opType;
    private final int opset;
    private final List<AttributeProto> attributes = new ArrayList<>();

    OrtReference(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    OrtReference attr(String name, long v) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v)
                .build());
        return this;
    }

    OrtReference attr(String name, float v) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v)
                .build());
        return this;
    }

    OrtReference attr(String name, String v) {
        attributes.add(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build());
        return this;
    }

    OrtReference ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        attributes.add(b.build());
        return this;
    }

    /** The model's outputs from ONNX Runtime and from nnzip: {@code {ort, nnzip}}. */
    Tensor[] run(Path dir, Tensor x, Tensor... constants) throws IOException, OrtException {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).addInput("x").addOutput("y")
                .addAllAttribute(attributes);
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(valueInfo("x", x.shape()))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(x.dtype().onnxId()))));
        for (int i = 0; i < constants.length; i++) {
            if (constants[i] == null) {
                node.addInput("");
                continue;
            }
            node.addInput("c" + i);
            g.addInitializer(OnnxTensors.toProto("c" + i, constants[i]));
        }
        g.addNode(node);
        ModelProto model = ModelProto.newBuilder().setIrVersion(9).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        Path file = dir.resolve(opType + "-" + System.nanoTime() + ".onnx");
        Files.write(file, model.toByteArray());
        return new Tensor[] {ort(model.toByteArray(), x), nnzip(file, x)};
    }

    private static ValueInfoProto valueInfo(String name, int[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Tensor ort(byte[] model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()),
                         Arrays.stream(x.shape()).mapToLong(i -> i).toArray());
                 OrtSession.Result r = s.run(Map.of("x", in))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                int[] shape = Arrays.stream(out.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
                FloatBuffer fb = out.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                return Tensor.of(data, shape);
            }
        }
    }

    private static Tensor nnzip(Path file, Tensor x) {
        try (Model m = Nnz.load(file); Session s = m.newSession(new SessionOptions(1))) {
            return s.run(Map.of("x", x)).get("y");
        }
    }
}
