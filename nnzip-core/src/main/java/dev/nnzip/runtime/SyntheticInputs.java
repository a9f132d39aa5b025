package dev.nnzip.runtime;

import dev.nnzip.InvalidInputException;
import dev.nnzip.graph.Dim;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds inputs for a model from its declared input shapes, for benchmarks and smoke runs when the user gives none.
 *
 * <p>Dynamic dimensions: a dimension named in {@code dims} takes that size; otherwise the first dimension is the batch
 * and any other dynamic dimension is the sequence length. Values are deterministic (seeded): floats uniform in [0, 1)
 * (image-like), integer inputs whose name mentions "mask" are 1, "type" are 0, and other integers (token ids) are drawn
 * from [1000, 2000), which is inside every common BERT-style vocabulary.
 */
public final class SyntheticInputs {
    private SyntheticInputs() {
    }

    public static Map<String, Tensor> forModel(List<ValueInfo> inputs, int batch, int sequence, Map<String, Integer> dims,
                                               long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ValueInfo in : inputs) {
            if (!in.hasShape()) {
                throw new InvalidInputException("input '" + in.name() + "' declares no shape; give it with --input");
            }
            List<Dim> declared = in.shape();
            int[] shape = new int[declared.size()];
            for (int i = 0; i < shape.length; i++) {
                Dim d = declared.get(i);
                if (d.isFixed()) {
                    shape[i] = (int) d.value();
                } else if (d.symbol() != null && dims.containsKey(d.symbol())) {
                    shape[i] = dims.get(d.symbol());
                } else {
                    shape[i] = i == 0 ? batch : sequence;
                }
            }
            DType type = in.dtype() == null ? DType.FLOAT : in.dtype();
            int n = Shapes.size(shape);
            Tensor t = Tensor.zeros(type, shape);
            String name = in.name().toLowerCase(java.util.Locale.ROOT);
            switch (type.storage()) {
                case FLOAT -> {
                    float[] f = t.floats();
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) rnd.nextDouble();
                    }
                }
                case DOUBLE -> {
                    double[] f = t.doubles();
                    for (int i = 0; i < n; i++) {
                        f[i] = rnd.nextDouble();
                    }
                }
                case LONG -> {
                    long[] l = t.longs();
                    for (int i = 0; i < n; i++) {
                        l[i] = name.contains("mask") ? 1 : name.contains("type") ? 0 : 1000 + rnd.nextInt(1000);
                    }
                }
                case BOOL -> java.util.Arrays.fill(t.booleans(), true);
                case STRING -> throw new InvalidInputException("input '" + in.name() + "' is a string tensor; give it"
                        + " with --input");
            }
            out.put(in.name(), t);
        }
        return out;
    }
}
