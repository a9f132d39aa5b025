package dev.nnzip.tune;

import dev.nnzip.codec.CodecSettings;
import dev.nnzip.codec.CodecSpec;
import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.smartdnn.SmartDnnCodec;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.graph.Graph;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Picks, for each lossy layer weight, which rounding of its weights the codec writes: the same bound and about the
 * same size, less damage.
 *
 * <p>Why: at a given bound, which grid point each weight lands on is an accident of where the grid happens to lie, and
 * the accident matters. Replacing every weight of MobileNetV2 by a uniform draw within the same bounds, six draws gave
 * output divergences from 0.60 to 2.00 milli-nats and 92 to 210 changed predictions on the same 20,000 images, and the
 * divergence on 1,000 other training images predicted each draw's within a few per cent (docs/BENCHMARKS.md, session
 * 10). The errors of different layers add up or cancel in the output; rounding to nearest ignores that. AdaRound
 * (Nagel et al., ICML 2020) chooses each weight's rounding from data; that would break the error bound, so here the
 * choice is coarser and keeps it: the whole grid of a layer moves by a fraction {@code k/K} of a bucket width
 * ({@code smartdnn:offset}), every weight is rounded to the nearest point of the moved grid, and the offset with the
 * smallest loss on calibration data is kept.
 *
 * <p>Greedy in graph order, as GPTQ and AdaRound go layer by layer: each layer's offsets are measured on the model in
 * which the layers before it are already compressed with their chosen offsets and the layers after it are exact. So
 * a layer is chosen to offset, where it can, what the layers before it did. {@code K} offsets per layer,
 * one evaluation each.
 */
public final class RoundingSearch {
    /** One layer: the offset chosen and the losses measured at each offset ({@code losses[k]} at offset k/K). */
    public record Layer(String name, String codec, double offset, double[] losses) {
        public Layer {
            losses = losses.clone();
        }

        @Override
        public double[] losses() {
            return losses.clone();
        }
    }

    /**
     * The policy with one rule per searched layer, and what was measured.
     *
     * @param ownGridLoss the loss with every searched layer compressed on the codec's own grid (offset 0)
     * @param chosenLoss  the loss with every searched layer at its chosen offset
     */
    public record Result(CompressionPolicy policy, List<Layer> layers, double ownGridLoss, double chosenLoss) {
    }

    /** Told which layer was searched, for progress output. */
    @FunctionalInterface
    public interface Progress {
        void layerSearched(int done, int total, Layer layer);
    }

    private RoundingSearch() {
    }

    /**
     * @param onnx        the model to compress
     * @param policy      the codecs and bounds (unchanged); its lossy layer weights whose codec takes
     *                    {@link SmartDnnCodec#OFFSET} are searched
     * @param loss        what to minimise, measured against the original (e.g. {@link SoftmaxDivergence} on calibration
     *                    inputs); must not be data the result is later judged on
     * @param offsets     K, the offsets k/K tried per layer (1 = only the codec's own grid)
     */
    public static Result search(Path onnx, CompressionPolicy policy, QualityMetric loss, int offsets,
                                Parallel parallel, Progress progress) {
        Objects.requireNonNull(loss, "loss");
        if (offsets < 1 || offsets > 64) {
            throw new IllegalArgumentException("offsets per layer must be in 1..64, was " + offsets);
        }
        try (OnnxImporter.Imported imported = OnnxImporter.read(onnx)) {
            EncodedGraph encoded = EncodedGraph.of(imported, policy);
            Graph graph = encoded.graph();
            List<String> names = new ArrayList<>();
            for (String name : policy.layerWeights(graph)) {
                CompressionPolicy.Choice c = encoded.choices().get(name);
                if (withOffset(c.codec(), 0) != null && c.bound().value() > 0) {
                    names.add(name);
                }
            }
            double baselineScore;
            try (Model original = encoded.model(Map.of())) {
                baselineScore = loss.score(original);
            }
            Map<String, Tensor> chosen = new LinkedHashMap<>(); // layers searched so far, as decoded
            Map<String, Tensor> ownGrid = new HashMap<>(); // every layer at offset 0, for the report
            List<Layer> layers = new ArrayList<>();
            CompressionPolicy out = policy;
            double current = 0;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                CompressionPolicy.Choice choice = encoded.choices().get(name);
                double[] losses = new double[offsets];
                Tensor[] decoded = new Tensor[offsets];
                int best = 0;
                for (int k = 0; k < offsets; k++) {
                    decoded[k] = encoded.decoded(name, withOffset(choice.codec(), (double) k / offsets), parallel);
                    Map<String, Tensor> trial = new HashMap<>(chosen);
                    trial.put(name, decoded[k]);
                    try (Model m = encoded.model(trial)) {
                        losses[k] = baselineScore - loss.score(m);
                    }
                    if (losses[k] < losses[best]) {
                        best = k;
                    }
                }
                chosen.put(name, decoded[best]);
                ownGrid.put(name, decoded[0]);
                current = losses[best];
                double offset = (double) best / offsets;
                String spec = withOffset(choice.codec(), offset);
                Layer layer = new Layer(name, spec, offset, losses);
                layers.add(layer);
                out = out.withRule(Pattern.quote(name), spec, choice.bound());
                if (progress != null) {
                    progress.layerSearched(i + 1, names.size(), layer);
                }
            }
            double ownGridLoss;
            try (Model m = encoded.model(ownGrid)) {
                ownGridLoss = baselineScore - loss.score(m);
            }
            return new Result(out, layers, ownGridLoss, names.isEmpty() ? 0 : current);
        }
    }

    /**
     * {@code spec} with the offset set on its stage whose codec takes {@link SmartDnnCodec#OFFSET}, or null if no
     * stage does.
     */
    static String withOffset(String spec, double offset) {
        List<CodecSpec.Stage> stages = new ArrayList<>();
        boolean found = false;
        for (CodecSpec.Stage stage : CodecSpec.parse(spec).stages()) {
            if (Codecs.byName(stage.codec()).settingKeys().containsKey(SmartDnnCodec.OFFSET)) {
                Map<String, String> settings = new LinkedHashMap<>(stage.settings().asMap());
                if (offset == 0) {
                    settings.remove(SmartDnnCodec.OFFSET);
                } else {
                    settings.put(SmartDnnCodec.OFFSET, String.format(Locale.ROOT, "%.6g", offset));
                }
                stage = new CodecSpec.Stage(stage.codec(), CodecSettings.of(settings));
                found = true;
            }
            stages.add(stage);
        }
        return found ? new CodecSpec(stages).toString() : null;
    }
}
