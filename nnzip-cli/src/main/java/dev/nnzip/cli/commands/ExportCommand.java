package dev.nnzip.cli.commands;

import dev.nnzip.format.NnzModelReader;
import dev.nnzip.graph.Weight;
import dev.nnzip.onnx.WeightSplicer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip export MODEL.nnz -o OUT.onnx}: the decompressed FP32 model, loadable by any ONNX runtime. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Decompress a .nnz into a plain ONNX model (weights as decoded, within their error bounds).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.nnz")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (NnzModelReader.Opened opened = NnzModelReader.open(model)) {
            var weights = opened.graph().weights();
            var proto = WeightSplicer.withWeightData(opened.proto(), name -> {
                Weight w = weights.get(name);
                return w.decode();
            });
            Path dir = output.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".partial");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    proto.writeTo(out);
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            System.out.printf("%s -> %s (%s)%n", model.getFileName(), output, Format.bytes(Files.size(output)));
        }
        return 0;
    }
}
