package dev.nnzip.tune;

import dev.nnzip.codec.Codecs;
import dev.nnzip.codec.ErrorBound;
import dev.nnzip.codec.WeightCodec;
import dev.nnzip.compress.CompressionPolicy;
import dev.nnzip.graph.Graph;
import dev.nnzip.kernels.Parallel;
import dev.nnzip.onnx.OnnxImporter;
import dev.nnzip.runtime.Model;
import dev.nnzip.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Spreads a policy's bytes over the layers by their measured sensitivity instead of by a fixed rule: the same total
 * size, less damage. No accuracy budget and no search, unlike {@link LayerwiseTuner}: one measurement per layer.
 *
 * <p>Method: the classic reverse water-filling of rate-distortion theory (Gersho and Gray, <i>Vector Quantization and
 * Signal Compression</i>, 1992, §8.3), with each layer's weight on the output measured rather than assumed, as in
 * Fisher- or Hessian-weighted mixed precision (HAWQ, Dong et al., ICCV 2019). Each lossy layer weight {@code l} of
 * {@code n_l} values is compressed alone at the bound the policy gives it, {@code e_l}, and its loss {@code D_l} on the
 * sensitivity metric measured (softmax divergence from the original: for small errors a quadratic form in the weight
 * error, so {@code D_l ≈ c_l·e_l²}). Minimising {@code Σ c_l·e_l'²} at a fixed total of {@code Σ n_l·log2(1/e_l')}
 * bits (each halving of a bound costs a bit per value) gives {@code e_l' ∝ sqrt(n_l / c_l)}, that is
 * {@code e_l' = λ·e_l·sqrt(n_l / D_l)}, with λ chosen so that {@code Σ n_l·log2(e_l'/e_l) = 0}: the bits one layer gains
 * another gives up, and the file stays about the size the policy alone would give (exactly so where every layer is
 * finely quantized, the regime of the default bounds). Factors are kept within {@value #MAX_FACTOR}× either way so
 * that a layer measured as free (no change within the metric's resolution) is not left unbounded.
 *
 * <p>The model measured is the one the compressor encodes (BatchNormalization folded when the policy folds it), each
 * layer with the codec and bound the policy gives it (per-row widths included). The result is the policy with one rule
 * per layer weight, which {@link dev.nnzip.compress.ModelCompressor} then applies like any other.
 */
public final class SensitivityAllocation {
    /** A layer's bound moves at most this many times finer or coarser than the policy's. */
    public static final double MAX_FACTOR = 8;

    /**
     * One layer weight: the bound the policy gave it, its measured loss there, and the factor on that bound.
     *
     * @param sensitivity the sensitivity metric's loss with only this layer compressed at {@code policyBound}
     */
    public record Layer(String name, long values, String codec, ErrorBound policyBound, double sensitivity,
                        double factor) {
        public ErrorBound bound() {
            return new ErrorBound(policyBound.kind(), policyBound.value() * factor);
        }

        Layer withFactor(double f) {
            return new Layer(name, values, codec, policyBound, sensitivity, f);
        }
    }

    /** The policy with one rule per measured layer, and what was measured. */
    public record Result(CompressionPolicy policy, List<Layer> layers) {
    }

    /** Told which layer was measured, for progress output. */
    @FunctionalInterface
    public interface Progress {
        void layerMeasured(int done, int total, Layer layer);
    }

    private SensitivityAllocation() {
    }

    /**
     * @param onnx        the model to compress
     * @param policy      what the bounds start from; its lossy, error-bounded layer weights are reallocated
     * @param sensitivity the loss to spread evenly, measured against the original (e.g. {@link SoftmaxDivergence} on
     *                    a few hundred calibration inputs); must not be data the result is later judged on
     */
    public static Result allocate(Path onnx, CompressionPolicy policy, QualityMetric sensitivity, Parallel parallel,
                                  Progress progress) {
        Objects.requireNonNull(sensitivity, "sensitivity");
        try (OnnxImporter.Imported imported = OnnxImporter.read(onnx)) {
            EncodedGraph target = EncodedGraph.of(imported, policy);
            Graph graph = target.graph();
            Map<String, CompressionPolicy.Choice> choices = target.choices();
            List<String> names = new ArrayList<>();
            for (String name : policy.layerWeights(graph)) {
                WeightCodec codec = Codecs.configure(choices.get(name).codec());
                if (!codec.isLossless() && codec.isErrorBounded() && choices.get(name).bound().value() > 0) {
                    names.add(name);
                }
            }
            double baseline;
            try (Model original = target.model(Map.of())) {
                baseline = sensitivity.score(original);
            }
            long[] values = new long[names.size()];
            double[] loss = new double[names.size()];
            List<Layer> measured = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                CompressionPolicy.Choice choice = choices.get(name);
                Tensor decoded = target.decoded(name, choice.codec(), parallel);
                try (Model m = target.model(Map.of(name, decoded))) {
                    loss[i] = Math.max(0, baseline - sensitivity.score(m));
                }
                values[i] = decoded.size();
                Layer layer = new Layer(name, values[i], choice.codec(), choice.bound(), loss[i], 1);
                measured.add(layer);
                if (progress != null) {
                    progress.layerMeasured(i + 1, names.size(), layer);
                }
            }
            double[] factors = factors(values, loss);
            List<Layer> layers = new ArrayList<>();
            CompressionPolicy out = policy;
            for (int i = 0; i < names.size(); i++) {
                Layer l = measured.get(i).withFactor(factors[i]);
                layers.add(l);
                out = out.withRule(Pattern.quote(l.name()), l.codec(), l.bound());
            }
            return new Result(out, layers);
        }
    }

    /**
     * The factors {@code λ·sqrt(n_l / D_l)}, each kept within [1/{@value #MAX_FACTOR}, {@value #MAX_FACTOR}], with λ
     * such that {@code Σ n_l·log2(factor_l) = 0} (a bisection on log λ: the sum grows with λ). A layer whose loss
     * measured 0 gets the largest factor; if every loss is 0 there is nothing to rank and every factor is 1.
     */
    static double[] factors(long[] values, double[] loss) {
        int n = values.length;
        double largest = 0;
        for (double d : loss) {
            largest = Math.max(largest, d);
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, 1);
        if (!(largest > 0)) {
            return out;
        }
        double[] log2Shape = new double[n]; // log2 sqrt(n_l / D_l), a zero loss treated as far below the rest
        double floor = largest * 1e-9;
        for (int i = 0; i < n; i++) {
            log2Shape[i] = 0.5 * (Math.log(values[i]) - Math.log(Math.max(loss[i], floor))) / Math.log(2);
        }
        double limit = Math.log(MAX_FACTOR) / Math.log(2);
        double lo = -200;
        double hi = 200;
        for (int iteration = 0; iteration < 200; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (weightedLog2(values, log2Shape, mid, limit) > 0) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        double log2Lambda = 0.5 * (lo + hi);
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(2, clamp(log2Lambda + log2Shape[i], limit));
        }
        return out;
    }

    private static double weightedLog2(long[] values, double[] log2Shape, double log2Lambda, double limit) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[i] * clamp(log2Lambda + log2Shape[i], limit);
        }
        return sum;
    }

    private static double clamp(double log2Factor, double limit) {
        return Math.max(-limit, Math.min(limit, log2Factor));
    }

    /** One line per layer, for reports: name, values, the policy's bound, the measured loss. */
    public static String describe(Layer l) {
        return String.format(Locale.ROOT, "%s: %,d values, bound %s %.4g, sensitivity %.4g", l.name(), l.values(),
                l.policyBound().kind().name().toLowerCase(Locale.ROOT), l.policyBound().value(), l.sensitivity());
    }
}
