package dev.nnzip.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** nnzip-bench: end-to-end harnesses that run nnzip and ONNX Runtime on the same model in one run. */
@Command(name = "nnzip-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks nnzip against ONNX Runtime Java (JMH micro-benchmarks: org.openjdk.jmh.Main).",
        subcommands = {LatencyCompare.class, TextFidelityCompare.class, TextLatencyCompare.class, MemoryCompare.class,
                TunerCeiling.class, CommandLine.HelpCommand.class})
public final class BenchMain {
    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
