/**
 * {@code sz}: the SZ error-bounded compressor as DeepSZ (Jin et al., HPDC 2019) and Smart-DNN (ICCD 2021) apply it to
 * weights, in one dimension.
 *
 * <ul>
 *   <li>Prediction, chosen per segment of 256 values (SZ 2, Liang et al., "Error-Controlled Lossy Compression Optimized
 *       for High Compression Ratios of Scientific Datasets", IEEE Big Data 2018): the 1-D Lorenzo predictor
 *       {@code p_i = ŵ_{i−1}} on reconstructed values (SZ 1.4, Tao et al., IPDPS 2017), or a linear regression
 *       {@code p_j = a + b·j} fitted by least squares with {@code a}, {@code b} quantized to multiples of {@code step} and
 *       {@code step/256}. SZ 2's criterion picks the one with the smaller sum of absolute errors on the original values.</li>
 *   <li>Linear-scaling quantization of the prediction error: {@code q = round((w − p)/step)}, bins of width
 *       {@code step <= 2·eb}, 65,536 intervals; out-of-range or bound-missing values are escaped and stored raw (and then
 *       predict their successors exactly).</li>
 *   <li>Huffman ({@link dev.nnzip.codec.entropy}), then Zstd where it pays.</li>
 * </ul>
 *
 * <p>Trained weights are close to independent, so the Lorenzo difference {@code w_i − w_{i−1}} has twice the variance of
 * {@code w_i} (half a bit more per value); SZ then mostly picks regression, which predicts about the segment mean, and
 * ends near {@code uniform} plus the coefficients. That is the baseline smartdnn is compared with.
 *
 * <p>Parameters: {@code u8 version=1, f64 eb, f32 step, varint segmentLength, Huffman length table}. Block:
 * {@code predictor selector bits (stream), regression coefficients (stream of zig-zag varint pairs), symbols, escapes}.
 * Each block starts its Lorenzo chain from 0, so it decodes on its own.
 */
package dev.nnzip.codec.sz;
