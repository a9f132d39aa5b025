package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 5 acceptance: nnzip's FP32 embeddings of every sentence of the evaluation corpus equal ONNX Runtime's
 * (cosine >= 0.99999), with the same tokenizer output and the same pooling code, so only the engines differ.
 */
class TextEmbedderOracleTest {
    private static final int BATCH = 32;

    @Test
    void everyCorpusSentenceMatchesOnnxRuntime() throws Exception {
        List<String> corpus = TextLines.read(MiniLm.corpus());
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (TextEmbedder nnzip = TextEmbedder.open(MiniLm.model(), MiniLm.tokenizer(), new SessionOptions(2), BATCH);
             OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            try (OrtSession ort = env.createSession(MiniLm.model().toString(), o)) {
                // Batches of sentences of similar token count (sorted by it) keep padding, and so test time, low.
                List<String> sorted = byTokenCount(corpus, nnzip.tokenizer());
                float[][] ours = new float[corpus.size()][];
                float[][] theirs = new float[corpus.size()][];
                for (int from = 0; from < sorted.size(); from += BATCH) {
                    TokenBatch batch = nnzip.tokenizer().encode(sorted.subList(from, Math.min(sorted.size(),
                            from + BATCH)));
                    System.arraycopy(nnzip.embedBatch(batch), 0, ours, from, batch.size());
                    System.arraycopy(runOrt(env, ort, batch, nnzip), 0, theirs, from, batch.size());
                }
                double worst = 1;
                for (int i = 0; i < corpus.size(); i++) {
                    double c = EmbeddingFidelity.cosine(ours[i], theirs[i]);
                    worst = Math.min(worst, c);
                    assertThat(c).as("cosine of \"%s\"", sorted.get(i)).isGreaterThanOrEqualTo(0.99999);
                }
                System.out.printf("nnzip vs ONNX Runtime FP32 over %d sentences: min cosine %.10f, %s%n",
                        corpus.size(), worst, EmbeddingFidelity.compare(theirs, ours).toJson());
                assertThat(worst).isGreaterThanOrEqualTo(0.99999);
            }
        }
    }

    private static List<String> byTokenCount(List<String> sentences, TextTokenizer tokenizer) {
        TokenBatch all = tokenizer.encode(sentences);
        return java.util.stream.IntStream.range(0, sentences.size()).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> all.ids().get(i).length))
                .map(sentences::get).toList();
    }

    private static float[][] runOrt(OrtEnvironment env, OrtSession ort, TokenBatch batch, TextEmbedder nnzip)
            throws Exception {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (var e : batch.feed(nnzip.model().inputs()).entrySet()) {
                Tensor t = e.getValue();
                feed.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()),
                        new long[] {t.dim(0), t.dim(1)}));
            }
            try (OrtSession.Result r = ort.run(feed)) {
                float[][][] hidden = (float[][][]) r.get(0).getValue();
                int dim = hidden[0][0].length;
                float[] flat = new float[batch.size() * batch.length() * dim];
                for (int b = 0; b < batch.size(); b++) {
                    for (int t = 0; t < batch.length(); t++) {
                        System.arraycopy(hidden[b][t], 0, flat, (b * batch.length() + t) * dim, dim);
                    }
                }
                return MeanPooling.pool(flat, batch.size(), batch.length(), dim, batch.mask());
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
