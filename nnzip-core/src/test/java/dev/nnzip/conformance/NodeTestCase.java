package dev.nnzip.conformance;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.Nnz;
import dev.nnzip.onnx.OnnxTensors;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One ONNX backend node test from Debian's {@code libonnx-testdata} ({@code data/node/test_X/model.onnx} plus
 * {@code test_data_set_N/{input,output}_K.pb}), run through nnzip and compared as the ONNX backend runner compares
 * (rtol 1e-3, atol 1e-5; exact for integers, bools and strings).
 */
public record NodeTestCase(String name, Path dir) {
    public static final Path ROOT = Path.of(System.getProperty("nnzip.onnx.testdata",
            "/usr/share/libonnx-testdata/data/node"));

    /** Every node test directory, sorted by name; empty if the package is not installed. */
    public static List<NodeTestCase> all() throws IOException {
        if (!Files.isDirectory(ROOT)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(p -> Files.exists(p.resolve("model.onnx")))
                    .sorted()
                    .map(p -> new NodeTestCase(p.getFileName().toString(), p))
                    .toList();
        }
    }

    /** The op type of the test model's (first) node, e.g. "Conv". */
    public String opType() throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("model.onnx"))) {
            ModelProto m = ModelProto.parseFrom(in);
            List<NodeProto> nodes = m.getGraph().getNodeList();
            return nodes.isEmpty() ? "?" : nodes.get(0).getOpType();
        }
    }

    /** Runs every data set; returns null on success or a one-line reason on failure. */
    public String run() {
        try (Model model = Nnz.load(dir.resolve("model.onnx"));
             Session session = model.newSession(new SessionOptions(1))) {
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            for (Path set : sets) {
                Map<String, Tensor> inputs = new LinkedHashMap<>();
                List<Tensor> ins = read(set, "input_");
                var declared = model.graph().inputs();
                for (int i = 0; i < ins.size(); i++) {
                    inputs.put(declared.get(i).name(), ins.get(i));
                }
                Map<String, Tensor> out = session.run(inputs);
                List<Tensor> expected = read(set, "output_");
                List<Tensor> actual = new ArrayList<>(out.values());
                for (int i = 0; i < expected.size(); i++) {
                    String diff = compare(expected.get(i), i < actual.size() ? actual.get(i) : null);
                    if (diff != null) {
                        return set.getFileName() + " output " + i + ": " + diff;
                    }
                }
            }
            return null;
        } catch (Throwable e) {
            String msg = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
            return msg.length() > 300 ? msg.substring(0, 300) + "..." : msg;
        }
    }

    /** The tensors {@code prefix0.pb, prefix1.pb, ...} of one test data set, in order. */
    static List<Tensor> read(Path set, String prefix) throws IOException {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Path p = set.resolve(prefix + i + ".pb");
            if (!Files.exists(p)) {
                return out;
            }
            out.add(OnnxTensors.toTensor(TensorProto.parseFrom(Files.readAllBytes(p)), null));
        }
    }

    /** null if equal within tolerance, else what differs. */
    public static String compare(Tensor expected, Tensor actual) {
        if (actual == null) {
            return "missing";
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
        }
        if (expected.dtype() != actual.dtype()) {
            return "dtype " + actual.dtype() + ", expected " + expected.dtype();
        }
        if (expected.dtype() == DType.STRING) {
            return Arrays.equals(expected.strings(), actual.strings()) ? null : "strings differ";
        }
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            boolean exact = !expected.dtype().isFloatingPoint();
            double tol = exact ? 0 : 1e-5 + 1e-3 * Math.abs(e);
            if (!(Math.abs(e - a) <= tol) && e != a) {
                return "element " + i + " is " + a + ", expected " + e;
            }
        }
        return null;
    }
}
