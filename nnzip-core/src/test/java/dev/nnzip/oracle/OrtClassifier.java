package dev.nnzip.oracle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnzip.eval.BatchClassifier;
import dev.nnzip.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The reference engine as a {@link BatchClassifier}: ONNX Runtime (Java) on the same .onnx file, with its single input
 * and first output discovered from the model, as {@link dev.nnzip.eval.ModelClassifier} does for nnzip.
 */
final class OrtClassifier implements BatchClassifier, AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;

    OrtClassifier(Path model, int threads) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        session = env.createSession(model.toString(), options);
        if (session.getNumInputs() != 1) {
            close();
            throw new IllegalArgumentException(model + ": expected one input, ORT sees " + session.getInputNames());
        }
        inputName = session.getInputNames().iterator().next();
        outputName = session.getOutputNames().iterator().next();
    }

    @Override
    public Tensor scores(Tensor images) {
        long[] shape = Arrays.stream(images.shape()).asLongStream().toArray();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(images.floats()), shape);
             OrtSession.Result result = session.run(Map.of(inputName, in))) {
            OnnxTensor out = (OnnxTensor) result.get(outputName)
                    .orElseThrow(() -> new IllegalStateException("ORT returned no output " + outputName));
            long[] outShape = out.getInfo().getShape();
            FloatBuffer buffer = out.getFloatBuffer();
            float[] scores = new float[buffer.remaining()];
            buffer.get(scores);
            return Tensor.of(scores, Arrays.stream(outShape).mapToInt(Math::toIntExact).toArray());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        options.close();
    }
}
