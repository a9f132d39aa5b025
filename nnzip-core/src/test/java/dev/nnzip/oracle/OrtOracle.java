package dev.nnzip.oracle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnzip.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** ONNX Runtime Java as the test oracle: runs a model file on nnzip tensors and returns nnzip tensors. */
public final class OrtOracle implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtOracle(Path model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(model.toString(), options);
        }
    }

    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                feed.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(Tensor t) throws OrtException {
        long[] shape = Arrays.stream(t.shape()).mapToLong(i -> i).toArray();
        return switch (t.dtype()) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
            default -> throw new IllegalArgumentException("oracle feeds float32 and int64 only, got " + t.dtype());
        };
    }

    private static Tensor fromOrt(OnnxTensor t) {
        int[] shape = Arrays.stream(t.getInfo().getShape()).mapToInt(l -> (int) l).toArray();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] f = new float[b.remaining()];
                b.get(f);
                yield Tensor.of(f, shape);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] l = new long[b.remaining()];
                b.get(l);
                yield Tensor.of(l, shape);
            }
            default -> throw new IllegalArgumentException("oracle reads float32 and int64 outputs only, got "
                    + t.getInfo().type);
        };
    }

    /**
     * Largest |actual − expected| relative to the largest |expected| of the tensor: the "relative error" the acceptance
     * criteria bound (element-wise relative error is meaningless for values near zero).
     */
    public static double relativeError(Tensor expected, Tensor actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError("shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected.getDouble(i)));
            maxDiff = Math.max(maxDiff, Math.abs(expected.getDouble(i) - actual.getDouble(i)));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
