package dev.nnzip.compress.transform;

import dev.nnzip.codec.CodecSettings;
import dev.nnzip.codec.CodecSpec;
import dev.nnzip.onnx.OnnxImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The graph transforms by name, configured with the codec spec syntax ({@code lowrank:energy=0.95}; several are chained
 * with {@code +} and run in order), and the file-to-file entry point the CLI uses before compressing.
 */
public final class GraphTransforms {
    private GraphTransforms() {
    }

    public static List<String> names() {
        return List.of(LowRankTransform.NAME, FilterPruneTransform.NAME, ActivationScalingTransform.NAME);
    }

    /** @throws IllegalArgumentException naming the valid transforms, keys and ranges */
    public static List<GraphTransform> parse(String spec) {
        return parse(spec, CalibrationInputs.NONE, 1);
    }

    /**
     * @param calibration model inputs for the transforms that measure activations ({@code actscale});
     *                    {@link CalibrationInputs#NONE} makes those fail here, saying what to give
     * @throws IllegalArgumentException naming the valid transforms, keys and ranges
     */
    public static List<GraphTransform> parse(String spec, CalibrationInputs calibration, int threads) {
        return parse(spec, calibration, CalibrationInputs.NONE, threads);
    }

    /**
     * @param calibration model inputs for the transforms that measure activations ({@code actscale})
     * @param frequencies model inputs {@code actscale:tables=true} counts embedding-row lookups on, instead of
     *                    {@code calibration}; {@link CalibrationInputs#NONE} for none
     * @throws IllegalArgumentException naming the valid transforms, keys and ranges, or when frequency inputs are
     *                                  given and no {@code actscale:tables=true} stage would count them
     */
    public static List<GraphTransform> parse(String spec, CalibrationInputs calibration, CalibrationInputs frequencies,
                                             int threads) {
        List<GraphTransform> out = new ArrayList<>();
        boolean counted = false;
        for (CodecSpec.Stage stage : CodecSpec.parse(spec).stages()) {
            boolean tables = stage.codec().equals(ActivationScalingTransform.NAME)
                    && stage.settings().getBoolean(stage.codec(), "tables", false);
            out.add(configure(stage.codec(), stage.settings(), calibration,
                    tables ? frequencies : CalibrationInputs.NONE, threads));
            counted |= tables;
        }
        if (frequencies != CalibrationInputs.NONE && !counted) {
            // Silently ignoring the frequency text would leave the user believing the tables were weighted by it.
            throw new IllegalArgumentException("frequency text (--frequency-text) is only used by"
                    + " actscale:tables=true, which '" + spec + "' does not contain");
        }
        return out;
    }

    private static GraphTransform configure(String name, CodecSettings s, CalibrationInputs calibration,
                                            CalibrationInputs frequencies, int threads) {
        return switch (name) {
            case LowRankTransform.NAME -> {
                s.check(name, Map.of("energy", "share of Σσ² each factorised layer keeps, (0, 1], default 0.99"));
                yield new LowRankTransform(s.getDouble(name, "energy", 0.99, Double.MIN_VALUE, 1));
            }
            case FilterPruneTransform.NAME -> {
                s.check(name, Map.of("sparsity", "fraction of each eligible Conv's filters removed (smallest L1 norm"
                        + " first), [0, 1), default 0.25"));
                yield new FilterPruneTransform(s.getDouble(name, "sparsity", 0.25, 0, 0.999));
            }
            case ActivationScalingTransform.NAME -> {
                s.check(name, Map.of("alpha", "strength of the scaling, [0, 1]: 0 none, 1 the rate-distortion"
                        + " optimum s = sqrt(E[x^2]) per input channel, default 1",
                        "tables", "true: also scale the rows of embedding tables (Gather along axis 0) by how often"
                        + " the frequency text (--frequency-text), else the calibration inputs, look them up,"
                        + " s = p^(alpha/2); default false"));
                double alpha = s.getDouble(name, "alpha", 1, 0, 1);
                boolean tables = s.getBoolean(name, "tables", false);
                if (calibration == CalibrationInputs.NONE) {
                    throw new IllegalArgumentException(name + " measures the model's activations and needs"
                            + " calibration inputs: --text FILE with --tokenizer tokenizer.json for a text model,"
                            + " or --dataset for an image classifier");
                }
                yield new ActivationScalingTransform(calibration, frequencies, alpha, threads, tables);
            }
            default -> throw new IllegalArgumentException("unknown transform '" + name + "', expected one of "
                    + names());
        };
    }

    /**
     * Reads {@code in}, applies the transforms of {@code spec} in order and writes the result to {@code out}.
     *
     * @return one line per layer each transform considered
     */
    public static List<String> apply(String spec, Path in, Path out) throws IOException {
        return apply(spec, in, out, CalibrationInputs.NONE, 1);
    }

    /** {@link #apply(String, Path, Path)} with calibration inputs for the transforms that measure activations. */
    public static List<String> apply(String spec, Path in, Path out, CalibrationInputs calibration, int threads)
            throws IOException {
        return apply(spec, in, out, calibration, CalibrationInputs.NONE, threads);
    }

    /**
     * {@link #apply(String, Path, Path, CalibrationInputs, int)} with separate inputs for the embedding-row
     * frequencies of {@code actscale:tables=true} (see {@link #parse(String, CalibrationInputs, CalibrationInputs,
     * int)}).
     */
    public static List<String> apply(String spec, Path in, Path out, CalibrationInputs calibration,
                                     CalibrationInputs frequencies, int threads) throws IOException {
        List<GraphTransform> transforms = parse(spec, calibration, frequencies, threads);
        List<String> log = new ArrayList<>();
        Path current = in;
        for (GraphTransform t : transforms) {
            byte[] bytes;
            try (OnnxImporter.Imported model = OnnxImporter.read(current)) {
                GraphTransform.Result r = t.apply(model.proto(), model.graph().weights());
                log.addAll(r.log());
                bytes = r.model().toByteArray();
            }
            Files.write(out, bytes);
            current = out;
        }
        if (transforms.isEmpty()) {
            Files.copy(in, out);
        }
        return log;
    }
}
