package dev.nnzip.cli.commands;

import dev.nnzip.Nnz;
import dev.nnzip.graph.GraphSummary;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnzip info MODEL}: what a model is — inputs, outputs, operators, parameters. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a model: inputs, outputs, operators, weights.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Override
    public Integer call() throws Exception {
        try (Model m = Nnz.load(model)) {
            print(m, Files.size(model));
        }
        return 0;
    }

    static void print(Model m, long fileBytes) {
        GraphSummary s = GraphSummary.of(m.graph());
        System.out.printf("model      %s (%s, ONNX opset %d)%n", m.name(), Format.bytes(fileBytes),
                m.graph().onnxOpset());
        for (ValueInfo in : m.inputs()) {
            System.out.println("input      " + in);
        }
        for (ValueInfo out : m.outputs()) {
            System.out.println("output     " + out);
        }
        System.out.printf("weights    %d tensors, %,d parameters, %s decoded%n", s.weights(), s.parameters(),
                Format.bytes(s.weightBytes()));
        System.out.printf("operators  %d nodes: %s%n", s.nodes(), s.operators());
    }
}
