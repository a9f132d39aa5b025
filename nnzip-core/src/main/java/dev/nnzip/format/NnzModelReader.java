package dev.nnzip.format;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.CodedInputStream;
import dev.nnzip.ModelFormatException;
import dev.nnzip.graph.Graph;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opens a .nnz as a {@link Graph} whose weights are {@link NnzWeight}s backed by the mapped file. */
public final class NnzModelReader {
    private NnzModelReader() {
    }

    /** The graph, its declared-only ONNX proto (for export) and the open file behind its weights. */
    public record Opened(Graph graph, ModelProto proto, NnzFile file) implements AutoCloseable {
        @Override
        public void close() {
            file.close();
        }
    }

    public static Opened open(Path path) throws IOException {
        NnzFile file = NnzFile.open(path);
        try {
            ModelProto proto;
            try {
                CodedInputStream in = CodedInputStream.newInstance(file.graph());
                in.setRecursionLimit(1000);
                proto = ModelProto.parseFrom(in);
            } catch (IOException e) {
                throw new ModelFormatException(path + ": the graph section is not a valid ONNX model: "
                        + e.getMessage(), e);
            }
            Map<String, Weight> weights = new LinkedHashMap<>();
            for (NnzTensor t : file.tensors().values()) {
                weights.put(t.name(), new NnzWeight(file, t));
            }
            var declared = proto.getGraph().getInitializerList();
            for (var init : declared) {
                if (!weights.containsKey(init.getName())) {
                    throw new ModelFormatException(path + ": the graph declares weight '" + init.getName()
                            + "' but the tensor table has no entry for it");
                }
            }
            return new Opened(OnnxImporter.convert(proto, weights), proto, file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }
}
