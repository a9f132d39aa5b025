package dev.nnzip.eval;

import dev.nnzip.graph.Dim;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An image classifier backed by an nnzip model: the model's only input takes the images, its first output gives the
 * scores. Names are discovered from the model, never assumed. A model exported with a fixed batch size (say 1) is
 * still usable with any batch: batches are split into, or zero-padded up to, the model's batch size and the padding
 * rows dropped from the result.
 *
 * <p>Owns one {@link Session} (one per thread, as sessions are); close it when done. The model stays open.
 */
public final class ModelClassifier implements BatchClassifier, AutoCloseable {
    private final Model model;
    private final Session session;
    private final String inputName;
    private final String outputName;
    private final int fixedBatch;

    public ModelClassifier(Model model, int threads) {
        this.model = model;
        List<ValueInfo> inputs = model.inputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("a classifier model needs exactly one input (the images); model "
                    + model.name() + " has " + inputs);
        }
        if (model.outputs().isEmpty()) {
            throw new IllegalArgumentException("model " + model.name() + " has no outputs");
        }
        ValueInfo input = inputs.getFirst();
        if (input.dtype() != null && input.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("model " + model.name() + " input " + input
                    + " must take FLOAT images [N, 1, rows, cols]");
        }
        if (input.hasShape() && input.shape().size() != 4) {
            throw new IllegalArgumentException("model " + model.name() + " input " + input
                    + " must be images of rank 4 [N, 1, rows, cols]");
        }
        this.inputName = input.name();
        this.outputName = model.outputs().getFirst().name();
        Dim batch = input.hasShape() ? input.shape().getFirst() : Dim.UNKNOWN;
        this.fixedBatch = batch.isFixed() ? Math.toIntExact(batch.value()) : -1;
        this.session = model.newSession(new SessionOptions(threads));
    }

    public String inputName() {
        return inputName;
    }

    public String outputName() {
        return outputName;
    }

    /** The batch size the model declares, or -1 if its batch dimension is dynamic. */
    public int fixedBatch() {
        return fixedBatch;
    }

    @Override
    public Tensor scores(Tensor images) {
        int n = images.dim(0);
        if (fixedBatch < 0 || n == fixedBatch) {
            return run(images, n);
        }
        // Run in chunks of the model's batch size, the last one zero-padded, and keep only the real rows.
        int perImage = images.size() / Math.max(n, 1);
        float[] pixels = images.floats();
        float[] scores = null;
        int classes = 0;
        for (int from = 0; from < n; from += fixedBatch) {
            int count = Math.min(fixedBatch, n - from);
            int[] shape = images.shape();
            shape[0] = fixedBatch;
            float[] chunk = new float[fixedBatch * perImage];
            System.arraycopy(pixels, from * perImage, chunk, 0, count * perImage);
            Tensor out = run(Tensor.of(chunk, shape), fixedBatch);
            if (scores == null) {
                classes = out.dim(1);
                scores = new float[n * classes];
            }
            System.arraycopy(floatScores(out), 0, scores, from * classes, count * classes);
        }
        return Tensor.of(scores == null ? new float[0] : scores, n, classes);
    }

    private Tensor run(Tensor images, int n) {
        Map<String, Tensor> outputs = session.run(Map.of(inputName, images));
        Tensor out = outputs.get(outputName);
        if (out == null || out.rank() != 2 || out.dim(0) != n) {
            throw new IllegalStateException("model " + model.name() + " output '" + outputName + "' should be scores ["
                    + n + ", classes] for " + n + " images, got "
                    + (out == null ? "nothing" : out.dtype() + Arrays.toString(out.shape())));
        }
        return out;
    }

    private static float[] floatScores(Tensor t) {
        if (t.dtype().storage() == DType.Storage.FLOAT) {
            return t.floats();
        }
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t.getDouble(i);
        }
        return f;
    }

    @Override
    public void close() {
        session.close();
    }
}
