package dev.nnzip.format;

import dev.nnzip.onnx.WeightSplicer;
import java.io.IOException;
import dev.nnzip.tensor.io.AtomicFiles;
import java.nio.file.Path;

/**
 * .nnz back to plain ONNX: the stored graph with every weight decoded (each within its error bound) and written as an
 * FP32 (or original-type) initializer — a model any ONNX runtime loads. Written to a temporary file and renamed.
 */
public final class NnzExport {
    private NnzExport() {
    }

    public static void toOnnx(Path nnz, Path onnx) throws IOException {
        try (NnzModelReader.Opened opened = NnzModelReader.open(nnz)) {
            var weights = opened.graph().weights();
            var proto = WeightSplicer.withWeightData(opened.proto(), name -> weights.get(name).decode());
            AtomicFiles.write(onnx, proto::writeTo);
        }
    }
}
