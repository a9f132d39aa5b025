package dev.nnzip.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import dev.nnzip.text.MeanPooling;
import dev.nnzip.text.SentenceEmbedder;
import dev.nnzip.text.TextTokenizer;
import dev.nnzip.text.TokenBatch;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer: the same tokenizer, batching and pooling as nnzip's TextEmbedder, with ONNX Runtime as the engine. Runs
 * models nnzip may not (the int8 all-MiniLM-L6-v2 uses DynamicQuantizeLinear / MatMulInteger), so the fidelity and
 * latency of ONNX Runtime's own quantization are measured with the same yardstick.
 */
final class OrtTextEmbedder implements SentenceEmbedder {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final TextTokenizer tokenizer;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final String hiddenOutput;
    private boolean closed;

    OrtTextEmbedder(Path model, Path tokenizerJson, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(model.toString(), options);
        }
        this.tokenizer = TextTokenizer.load(tokenizerJson);
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            OnnxJavaType type = ((TensorInfo) e.getValue().getInfo()).type;
            inputs.add(ValueInfo.of(e.getKey(), type == OnnxJavaType.INT32 ? DType.INT32 : DType.INT64));
        }
        this.hiddenOutput = session.getOutputNames().contains("last_hidden_state")
                ? "last_hidden_state" : session.getOutputNames().iterator().next();
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public float[][] embedBatch(TokenBatch batch) {
        if (closed) {
            throw new IllegalStateException("ONNX Runtime embedder is closed");
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (var e : batch.feed(inputs).entrySet()) {
                Tensor t = e.getValue();
                long[] shape = {t.dim(0), t.dim(1)};
                feed.put(e.getKey(), t.dtype() == DType.INT32
                        ? OnnxTensor.createTensor(env, IntBuffer.wrap(toInts(t.longs())), shape)
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape));
            }
            try (OrtSession.Result r = session.run(feed, java.util.Set.of(hiddenOutput))) {
                OnnxTensor hidden = (OnnxTensor) r.get(0);
                long[] shape = hidden.getInfo().getShape();
                float[] flat = new float[Math.toIntExact(shape[0] * shape[1] * shape[2])];
                hidden.getFloatBuffer().get(flat);
                return MeanPooling.pool(flat, batch.size(), batch.length(), (int) shape[2], batch.mask());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (tokenizer) {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
