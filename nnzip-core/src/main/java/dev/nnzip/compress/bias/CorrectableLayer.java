package dev.nnzip.compress.bias;

/**
 * One layer whose bias absorbs the mean shift its weight error causes.
 *
 * @param kind      how the weight is laid out against the input
 * @param output    the layer's output value (after the edit that gives it a bias); identifies the layer
 * @param input     the activation the weight multiplies
 * @param weight    the weight initializer
 * @param bias      the bias initializer the correction is subtracted from (one this layer alone reads)
 * @param addedBias whether the bias was added for the correction (initially zero) rather than the model's own
 * @param group     Conv's {@code group} (1 for the dense kinds)
 * @param transA    Gemm's {@code transA}: the input is {@code [K, rows]}
 * @param transB    Gemm's {@code transB}: the weight is {@code [N, K]} instead of {@code [K, N]}
 * @param weightGain what the layer multiplies its weight term by (Gemm's {@code alpha}; 1 for the others)
 * @param biasGain   what it multiplies its bias by (Gemm's {@code beta}; 1 for the others): an output shift {@code d} is
 *                   undone by moving the bias by {@code −d/biasGain}
 */
public record CorrectableLayer(Kind kind, String output, String input, String weight, String bias, boolean addedBias,
                               int group, boolean transA, boolean transB, double weightGain, double biasGain) {
    /** The layer types bias correction understands. */
    public enum Kind {
        /** ONNX Conv: W {@code [M, C/group, k...]}, B {@code [M]}. */
        CONV,
        /** ONNX Gemm: B {@code [K, N]} ({@code [N, K]} with transB), C {@code [N]} or {@code [1, N]}. */
        GEMM,
        /** ONNX MatMul with a 2-D weight {@code [K, N]} as its second input; the bias is an Add after it. */
        MATMUL
    }
}
