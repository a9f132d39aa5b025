package dev.nnzip.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.SparseTensorProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import dev.nnzip.ModelFormatException;
import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Dim;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Node;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model (onnx.proto, parsed by protobuf-java's generated classes) into nnzip's {@link Graph}.
 *
 * <p>Weights may be initializers, {@code Constant} nodes (turned into weights, so they are compressed and streamed like
 * any other), sparse initializers (densified), or stored in external-data files. The file is memory-mapped and parsed
 * with aliasing, so weight bytes are never copied until a weight is decoded.
 */
public final class OnnxImporter {
    /** The opsets nnzip's operators are written against. */
    public static final int MIN_OPSET = 1;
    public static final int MAX_OPSET = 22;

    private OnnxImporter() {
    }

    /** An imported model: the graph, the parsed proto (for export), and the mappings that back its weights. */
    public record Imported(Graph graph, ModelProto proto, OnnxSource source) implements AutoCloseable {
        @Override
        public void close() {
            source.close();
        }
    }

    public static Imported read(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFormatException("model file " + file + " does not exist");
        }
        OnnxSource source = new OnnxSource(file);
        try {
            ByteBuffer bytes = source.mapModel();
            ModelProto proto = parse(file, bytes);
            Graph graph = convert(proto, source, Map.of());
            return new Imported(graph, proto, source);
        } catch (NoSuchFileException e) {
            source.close();
            throw new ModelFormatException("model file " + file + " does not exist", e);
        } catch (IOException e) {
            source.close();
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Converts an in-memory model (for models built in code and tests). Weights are decoded from the proto lazily. */
    public static Graph convert(ModelProto proto) {
        return convert(proto, new OnnxSource(Path.of("in-memory.onnx")), Map.of());
    }

    /**
     * Converts a model whose top-level initializers' data lives elsewhere (a .nnz file): an initializer named in
     * {@code supplied} takes that weight, and its (empty) data in the proto is not looked at.
     */
    public static Graph convert(ModelProto proto, Map<String, Weight> supplied) {
        return convert(proto, new OnnxSource(Path.of("in-memory.onnx")), supplied);
    }

    private static ModelProto parse(Path file, ByteBuffer bytes) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setRecursionLimit(1000);
            ModelProto proto = ModelProto.parseFrom(in);
            if (!proto.hasGraph()) {
                throw new ModelFormatException("file " + file + " is not an ONNX model: it has no graph"
                        + " (expected a serialized onnx.ModelProto)");
            }
            return proto;
        } catch (IOException e) { // InvalidProtocolBufferException: truncated or corrupted
            throw new ModelFormatException("file " + file + " is not a valid ONNX model (truncated or corrupted"
                    + " protobuf, " + bytes.capacity() + " bytes): " + e.getMessage(), e);
        }
    }

    private static Graph convert(ModelProto proto, OnnxSource source, Map<String, Weight> supplied) {
        Map<String, Integer> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            opsets.put(domain, (int) o.getVersion());
        }
        if (opsets.isEmpty()) {
            opsets.put("", 1); // IR version 1..2 models had an implicit opset 1
        }
        int opset = opsets.getOrDefault("", MAX_OPSET);
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ModelFormatException("model uses ONNX opset " + opset + "; nnzip supports opsets " + MIN_OPSET
                    + " to " + MAX_OPSET);
        }
        return new Converter(source, opsets, supplied).graph(proto.getGraph());
    }

    private record Converter(OnnxSource source, Map<String, Integer> opsets, Map<String, Weight> supplied) {
        Graph graph(GraphProto g) {
            Map<String, Weight> weights = new LinkedHashMap<>();
            for (TensorProto t : g.getInitializerList()) {
                Weight w = supplied.get(t.getName());
                weights.put(t.getName(), w != null ? w : new OnnxWeight(t.getName(), t, source));
            }
            for (SparseTensorProto s : g.getSparseInitializerList()) {
                String name = s.getValues().getName();
                weights.put(name, Weight.of(name, densify(s)));
            }
            List<Node> nodes = new ArrayList<>(g.getNodeCount());
            for (NodeProto n : g.getNodeList()) {
                boolean onnxDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
                if (onnxDomain && n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                    weights.put(n.getOutput(0), constantWeight(n));
                    continue;
                }
                nodes.add(node(n));
            }
            Map<String, ValueInfo> infos = new LinkedHashMap<>();
            for (ValueInfoProto v : g.getValueInfoList()) {
                infos.put(v.getName(), valueInfo(v));
            }
            return new Graph(g.getName(), nodes,
                    g.getInputList().stream().map(OnnxImporter::valueInfo).toList(),
                    g.getOutputList().stream().map(OnnxImporter::valueInfo).toList(),
                    weights, infos, opsets);
        }

        /** Subgraph initializers are never supplied from outside: only the top-level graph's are. */
        private Graph subgraph(GraphProto g) {
            return new Converter(source, opsets, Map.of()).graph(g);
        }

        private Weight constantWeight(NodeProto n) {
            String out = n.getOutput(0);
            if (n.getAttributeCount() != 1) {
                throw new ModelFormatException("Constant node '" + n.getName() + "' (output '" + out
                        + "') must have exactly one value attribute, it has " + n.getAttributeCount());
            }
            AttributeProto a = n.getAttribute(0);
            return switch (a.getName()) {
                case "value" -> new OnnxWeight(out, a.getT(), source);
                case "sparse_value" -> Weight.of(out, densify(a.getSparseTensor()));
                case "value_float" -> Weight.of(out, Tensor.of(new float[] {a.getF()}));
                case "value_floats" -> {
                    float[] f = toFloats(a);
                    yield Weight.of(out, Tensor.of(f, f.length));
                }
                case "value_int" -> Weight.of(out, Tensor.of(new long[] {a.getI()}));
                case "value_ints" -> Weight.of(out, Tensor.vector(a.getIntsList().stream().mapToLong(x -> x).toArray()));
                case "value_string" -> Weight.of(out, Tensor.wrap(DType.STRING, new int[0],
                        new String[] {a.getS().toStringUtf8()}));
                case "value_strings" -> Weight.of(out, Tensor.wrap(DType.STRING, new int[] {a.getStringsCount()},
                        a.getStringsList().stream().map(x -> x.toStringUtf8()).toArray(String[]::new)));
                default -> throw new ModelFormatException("Constant node '" + n.getName() + "' has attribute '"
                        + a.getName() + "', expected one of value, sparse_value, value_float, value_floats, value_int,"
                        + " value_ints, value_string, value_strings");
            };
        }

        private Node node(NodeProto n) {
            List<Attribute> attrs = new ArrayList<>(n.getAttributeCount());
            for (AttributeProto a : n.getAttributeList()) {
                attrs.add(attribute(n, a));
            }
            return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                    new Attributes(attrs));
        }

        private Attribute attribute(NodeProto n, AttributeProto a) {
            AttributeProto.AttributeType type = a.getType();
            if (type == AttributeProto.AttributeType.UNDEFINED) {
                type = inferType(a); // IR version < 3 did not record the type
            }
            return switch (type) {
                case FLOAT -> new Attribute(a.getName(), Attribute.Type.FLOAT, a.getF());
                case INT -> new Attribute(a.getName(), Attribute.Type.INT, a.getI());
                case STRING -> new Attribute(a.getName(), Attribute.Type.STRING, a.getS().toStringUtf8());
                case TENSOR -> new Attribute(a.getName(), Attribute.Type.TENSOR, OnnxTensors.toTensor(a.getT(), null));
                case GRAPH -> new Attribute(a.getName(), Attribute.Type.GRAPH, subgraph(a.getG()));
                case FLOATS -> new Attribute(a.getName(), Attribute.Type.FLOATS, toFloats(a));
                case INTS -> new Attribute(a.getName(), Attribute.Type.INTS,
                        a.getIntsList().stream().mapToLong(x -> x).toArray());
                case STRINGS -> new Attribute(a.getName(), Attribute.Type.STRINGS,
                        a.getStringsList().stream().map(x -> x.toStringUtf8()).toArray(String[]::new));
                case TENSORS -> new Attribute(a.getName(), Attribute.Type.TENSORS,
                        a.getTensorsList().stream().map(t -> OnnxTensors.toTensor(t, null)).toList());
                case GRAPHS -> new Attribute(a.getName(), Attribute.Type.GRAPHS,
                        a.getGraphsList().stream().map(this::subgraph).toList());
                case TYPE_PROTO, TYPE_PROTOS -> new Attribute(a.getName(), Attribute.Type.TYPE_PROTO, a.getTp());
                default -> throw new ModelFormatException("node '" + n.getName() + "' (" + n.getOpType()
                        + ") has attribute '" + a.getName() + "' of unsupported type " + a.getType());
            };
        }
    }

    private static AttributeProto.AttributeType inferType(AttributeProto a) {
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        }
        if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        }
        if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        }
        if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        }
        if (a.hasG()) {
            return AttributeProto.AttributeType.GRAPH;
        }
        if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        }
        if (a.getStringsCount() > 0) {
            return AttributeProto.AttributeType.STRINGS;
        }
        return AttributeProto.AttributeType.INTS;
    }

    private static float[] toFloats(AttributeProto a) {
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.getFloats(i);
        }
        return f;
    }

    /** Sparse tensors (COO, linear or per-dimension indices) become dense ones; nnzip's codecs handle the zeros. */
    private static Tensor densify(SparseTensorProto s) {
        Tensor values = OnnxTensors.toTensor(s.getValues(), null);
        Tensor indices = OnnxTensors.toTensor(s.getIndices(), null);
        int[] shape = s.getDimsList().stream().mapToInt(Long::intValue).toArray();
        Tensor dense = Tensor.zeros(values.dtype(), shape);
        int nnz = values.size();
        int[] strides = Shapes.strides(shape);
        boolean linear = indices.rank() == 1;
        int total = dense.size();
        for (int k = 0; k < nnz; k++) {
            long idx = 0;
            if (linear) {
                idx = indices.getLong(k);
            } else {
                for (int d = 0; d < shape.length; d++) {
                    idx += indices.getLong(k * shape.length + d) * strides[d];
                }
            }
            if (idx < 0 || idx >= total) {
                throw new ModelFormatException("sparse tensor '" + s.getValues().getName() + "' has index " + idx
                        + " outside its shape " + java.util.Arrays.toString(shape));
            }
            System.arraycopy(values.data(), k, dense.data(), (int) idx, 1);
        }
        return dense;
    }

    static ValueInfo valueInfo(ValueInfoProto v) {
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            return new ValueInfo(v.getName(), null, null);
        }
        TypeProto.Tensor tt = t.getTensorType();
        DType dtype = null;
        if (tt.getElemType() != 0) {
            try {
                dtype = DType.fromOnnx(tt.getElemType());
            } catch (IllegalArgumentException e) {
                dtype = null; // a type nnzip cannot compute in; the op that consumes it will say so
            }
        }
        if (!tt.hasShape()) {
            return new ValueInfo(v.getName(), dtype, null);
        }
        List<Dim> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Dim.of(d.getDimValue())
                    : d.hasDimParam() ? Dim.symbolic(d.getDimParam()) : Dim.UNKNOWN);
        }
        return new ValueInfo(v.getName(), dtype, dims);
    }
}
