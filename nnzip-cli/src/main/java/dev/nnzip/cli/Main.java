package dev.nnzip.cli;

import dev.nnzip.cli.commands.BenchCommand;
import dev.nnzip.cli.commands.CompareCommand;
import dev.nnzip.cli.commands.CompressCommand;
import dev.nnzip.cli.commands.EvalCommand;
import dev.nnzip.cli.commands.ExportCommand;
import dev.nnzip.cli.commands.InspectCommand;
import dev.nnzip.cli.commands.DemoCommand;
import dev.nnzip.cli.commands.EmbedCommand;
import dev.nnzip.cli.commands.FidelityCommand;
import dev.nnzip.cli.commands.InfoCommand;
import dev.nnzip.cli.commands.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nnzip} command line. Each subcommand lives in {@code dev.nnzip.cli.commands}. */
@Command(name = "nnzip", mixinStandardHelpOptions = true, version = "nnzip 0.1.0",
        description = "Compress trained neural networks (Smart-DNN+) and run them in pure Java with little memory.",
        subcommands = {DemoCommand.class, CompressCommand.class, RunCommand.class, EvalCommand.class, BenchCommand.class,
            InspectCommand.class, ExportCommand.class, InfoCommand.class, CompareCommand.class, EmbedCommand.class,
            FidelityCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests, which call execute() without exiting). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        return cl;
    }
}
