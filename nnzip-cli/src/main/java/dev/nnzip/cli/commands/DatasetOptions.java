package dev.nnzip.cli.commands;

import dev.nnzip.eval.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dataset NAME [--data DIR]}, shared by the commands that measure accuracy (a picocli mixin). */
final class DatasetOptions {
    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "data set (valid: fashion-mnist)")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: Debian's dataset-fashion-mnist)")
    Path data;

    /** The chosen data set. @throws IllegalArgumentException naming the valid data sets */
    FashionMnist open() {
        if (!dataset.equals("fashion-mnist")) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "', valid: fashion-mnist");
        }
        return data == null ? FashionMnist.atDefaultLocation() : FashionMnist.at(data);
    }
}
