package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnzip.Nnz;
import dev.nnzip.eval.Accuracy;
import dev.nnzip.eval.ClassifierEvaluator;
import dev.nnzip.eval.FashionMnist;
import dev.nnzip.eval.LabeledImages;
import dev.nnzip.eval.PredictionChanges;
import dev.nnzip.runtime.Model;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip eval MODEL --dataset fashion-mnist [--data DIR] [--limit N] [--json]}: top-1 accuracy on the test set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Top-1 accuracy of a classifier (.onnx or .nnz) on a data set's test images.")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    Path model;

    @Mixin
    DatasetOptions datasetOptions = new DatasetOptions();

    @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N images")
    Integer limit;

    @Option(names = "--split", defaultValue = "test", paramLabel = "test|train",
            description = "which images: the 10,000 test images (default) or the 60,000 training images, e.g. to pick"
                    + " a compression setting without looking at the test set")
    String split;

    @Option(names = "--batch", defaultValue = "100", description = "batch size (default 100)")
    int batch;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--json", description = "print {\"accuracy\":…, \"correct\":…, \"total\":…}")
    boolean json;

    @Option(names = "--compare-to", paramLabel = "REFERENCE",
            description = "also run this model (say, the original .onnx of a compressed MODEL) on the same images and"
                    + " count MODEL's predictions against it: broken (right before, wrong after), fixed (the reverse),"
                    + " changed, the drop in percentage points and its standard error sqrt(broken+fixed)/N")
    Path compareTo;

    @Override
    public Integer call() throws Exception {
        FashionMnist fm = datasetOptions.open();
        ClassifierEvaluator.Settings settings = ClassifierEvaluator.Settings.defaults().withBatchSize(batch);
        if (threads != null) {
            settings = settings.withThreads(threads);
        }
        if (limit != null) {
            settings = settings.withLimit(limit);
        }
        try (Model m = Nnz.load(model)) {
            LabeledImages images = switch (split) {
                case "test" -> fm.test();
                case "train" -> fm.train();
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--split must be test or train, was '" + split + "'");
            };
            if (compareTo != null) {
                try (Model reference = Nnz.load(compareTo)) {
                    printComparison(ClassifierEvaluator.compare(m, reference, images, settings));
                }
                return 0;
            }
            Accuracy a = ClassifierEvaluator.evaluate(m, images, settings);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("accuracy", a.accuracy());
                out.put("correct", a.correct());
                out.put("total", a.total());
                System.out.println(new ObjectMapper().writeValueAsString(out));
            } else {
                System.out.printf("%s: top-1 accuracy %.2f %% (%d / %d Fashion-MNIST %s images)%n",
                        model.getFileName(), 100 * a.accuracy(), a.correct(), a.total(), split);
            }
        }
        return 0;
    }

    private void printComparison(ClassifierEvaluator.Comparison c) throws Exception {
        Accuracy a = c.accuracy();
        PredictionChanges ch = c.changes();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("accuracy", a.accuracy());
            out.put("correct", a.correct());
            out.put("total", a.total());
            out.put("referenceAccuracy", c.reference().accuracy());
            out.put("referenceCorrect", c.reference().correct());
            out.put("broken", ch.broken());
            out.put("fixed", ch.fixed());
            out.put("changed", ch.changed());
            out.put("dropPoints", ch.dropPoints());
            out.put("dropStandardErrorPoints", ch.standardErrorPoints());
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf(java.util.Locale.ROOT, "%s: top-1 accuracy %.3f %% (%d / %d Fashion-MNIST %s images);"
                            + " %s: %.3f %%%n", model.getFileName(), 100 * a.accuracy(), a.correct(), a.total(), split,
                    compareTo.getFileName(), 100 * c.reference().accuracy());
            System.out.printf(java.util.Locale.ROOT, "drop %.3f pp (se %.3f): %d broken, %d fixed, %d changed"
                    + " predictions%n", ch.dropPoints(), ch.standardErrorPoints(), ch.broken(), ch.fixed(),
                    ch.changed());
        }
    }
}
