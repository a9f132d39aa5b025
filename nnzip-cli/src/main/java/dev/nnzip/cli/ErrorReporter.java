package dev.nnzip.cli;

import dev.nnzip.NnzipException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns the errors a user can cause (bad model, bad input file, missing file) into one clear line and exit code 2;
 * anything else is a bug in nnzip and keeps its stack trace.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String message = switch (t) {
            case NoSuchFileException n -> "file not found: " + n.getFile();
            case IOException io -> "I/O error: " + io.getMessage();
            case NnzipException n -> n.getMessage();
            case IllegalArgumentException iae -> iae.getMessage();
            default -> null;
        };
        if (message == null) {
            e.printStackTrace(cl.getErr());
            return 1;
        }
        cl.getErr().println("nnzip " + cl.getCommandName() + ": error: " + message);
        return USER_ERROR;
    }
}
