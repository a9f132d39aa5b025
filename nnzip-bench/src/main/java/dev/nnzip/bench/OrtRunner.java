package dev.nnzip.bench;

import ai.onnxruntime.OnnxTensor;
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

/** ONNX Runtime Java on the same model and inputs as nnzip: the baseline the benchmark quotes ratios against. */
final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Map<String, OnnxTensor> feed = new LinkedHashMap<>();

    OrtRunner(Path model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(model.toString(), options);
        }
    }

    /** Converts the inputs once, so timing covers inference only (as nnzip's does). */
    void setInputs(Map<String, Tensor> inputs) throws OrtException {
        closeFeed();
        for (var e : inputs.entrySet()) {
            Tensor t = e.getValue();
            long[] shape = Arrays.stream(t.shape()).mapToLong(i -> i).toArray();
            feed.put(e.getKey(), switch (t.dtype()) {
                case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
                case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
                default -> throw new IllegalArgumentException("benchmark feeds float32/int64 only, got " + t.dtype());
            });
        }
    }

    void run() {
        try (OrtSession.Result r = session.run(feed)) {
            if (r.size() == 0) {
                throw new IllegalStateException("ONNX Runtime returned no outputs");
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private void closeFeed() {
        feed.values().forEach(OnnxTensor::close);
        feed.clear();
    }

    @Override
    public void close() throws OrtException {
        closeFeed();
        session.close();
    }
}
