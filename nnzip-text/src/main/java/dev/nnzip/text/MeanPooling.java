package dev.nnzip.text;

/**
 * Sentence-Transformers pooling for all-MiniLM-L6-v2 and its kind: the mean of the token vectors of the last hidden
 * state over the real tokens (attention mask 1), then L2 normalisation (the model card's "Normalize" module), so the
 * dot product of two embeddings is their cosine.
 */
public final class MeanPooling {
    private MeanPooling() {
    }

    /**
     * @param hidden row-major [batch, length, dim] last hidden state
     * @param mask   [batch][length] attention mask
     * @return [batch][dim] unit-length embeddings (a sentence with no real token would get the zero vector; the
     *         tokenizer always emits [CLS] and [SEP], so this does not happen for BERT models)
     */
    public static float[][] pool(float[] hidden, int batch, int length, int dim, long[][] mask) {
        if ((long) batch * length * dim != hidden.length) {
            throw new IllegalArgumentException("hidden state has " + hidden.length + " values, expected "
                    + batch + "x" + length + "x" + dim);
        }
        float[][] out = new float[batch][dim];
        for (int b = 0; b < batch; b++) {
            double[] sum = new double[dim];
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b][t] == 0) {
                    continue;
                }
                count++;
                int base = (b * length + t) * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                sum[d] /= Math.max(count, 1);
                norm += sum[d] * sum[d];
            }
            // sentence-transformers' Normalize uses torch.nn.functional.normalize, eps = 1e-12.
            double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
            for (int d = 0; d < dim; d++) {
                out[b][d] = (float) (sum[d] * scale);
            }
        }
        return out;
    }
}
