package dev.nnzip.cli.commands;

import dev.nnzip.InvalidInputException;
import dev.nnzip.Nnz;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.tensor.io.Npy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip run MODEL --input NAME=FILE.npy ... [--output DIR] [--threads N]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model on NumPy .npy inputs; write each output as DIR/<output name>.npy.")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the model (.onnx)")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "an input tensor by name (repeatable)")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--output", paramLabel = "DIR", description = "directory for the output .npy files")
    Path outputDir;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        try (Model m = Nnz.load(model);
             Session s = m.newSession(threads == null ? SessionOptions.defaults() : new SessionOptions(threads))) {
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (var e : inputs.entrySet()) {
                feed.put(e.getKey(), Npy.read(e.getValue()));
            }
            if (feed.isEmpty()) {
                throw new InvalidInputException("no --input given; " + model.getFileName() + " expects "
                        + m.inputs().stream().map(Object::toString).toList());
            }
            Map<String, Tensor> out = s.run(feed);
            for (var e : out.entrySet()) {
                Tensor t = e.getValue();
                System.out.println(e.getKey() + ": " + t);
                if (outputDir != null) {
                    Path file = outputDir.resolve(safeFileName(e.getKey()) + ".npy");
                    Npy.write(file, t);
                    System.out.println("  written to " + file);
                }
            }
        }
        return 0;
    }

    /** Output names may contain '/' or ':' (e.g. "encoder/out:0"); those cannot be file names. */
    static String safeFileName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return List.of("", ".", "..").contains(s) ? "output" : s;
    }
}
