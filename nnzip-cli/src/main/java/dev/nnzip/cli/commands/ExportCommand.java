package dev.nnzip.cli.commands;

import dev.nnzip.format.NnzExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip export MODEL.nnz -o OUT.onnx}: the decompressed model, loadable by any ONNX runtime. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Decompress a .nnz into a plain ONNX model (weights as decoded, within their error bounds).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.nnz")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx")
    Path output;

    @Override
    public Integer call() throws Exception {
        NnzExport.toOnnx(model, output);
        System.out.printf("%s -> %s (%s)%n", model.getFileName(), output, Format.bytes(Files.size(output)));
        return 0;
    }
}
