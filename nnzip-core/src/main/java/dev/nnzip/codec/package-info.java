/**
 * Error-bounded and lossless compression of weight tensors.
 *
 * <p>A {@link dev.nnzip.codec.WeightCodec} turns a {@code float[]} tensor, its shape and an
 * {@link dev.nnzip.codec.ErrorBound} into an {@link dev.nnzip.codec.EncodedTensor}: tensor-wide parameters plus
 * independently decodable {@link dev.nnzip.codec.EncodedBlock blocks} of 64 Ki values (configurable). A
 * {@link dev.nnzip.codec.TensorDecoder} decodes one block into a slice of a {@code float[]} (so a kernel can work block by
 * block and never hold the whole layer) or the whole tensor with blocks spread over a {@link dev.nnzip.kernels.Parallel}.
 * {@link dev.nnzip.codec.Codecs} finds codecs by name or container id.
 *
 * <table>
 *   <caption>The codecs</caption>
 *   <tr><th>name</th><th>what</th><th>package</th></tr>
 *   <tr><td>smartdnn</td><td>Smart-DNN+ binary quantizer with remapping + bucket encoder + Huffman + Zstd</td>
 *       <td>{@link dev.nnzip.codec.smartdnn}</td></tr>
 *   <tr><td>sz</td><td>SZ-style Lorenzo / regression prediction + linear-scaling quantization + Huffman + Zstd (the
 *       DeepSZ baseline)</td><td>{@link dev.nnzip.codec.sz}</td></tr>
 *   <tr><td>uniform</td><td>fixed-grid quantization {@code round(w / 2eb)} + the same entropy coder: the ablation</td>
 *       <td>{@link dev.nnzip.codec.uniform}</td></tr>
 *   <tr><td>lossless</td><td>byte-plane shuffle + Zstd, bit-exact</td><td>{@link dev.nnzip.codec.lossless}</td></tr>
 *   <tr><td>int8</td><td>per-output-channel 8-bit quantization, symmetric or with a zero point</td>
 *       <td>{@link dev.nnzip.codec.int8}</td></tr>
 *   <tr><td>int4</td><td>4-bit quantization in groups of 8–1024 values with a scale (GGUF Q4_0 / MatMulNBits)</td>
 *       <td>{@link dev.nnzip.codec.int4}</td></tr>
 *   <tr><td>fp16, bf16</td><td>16-bit floats, round to nearest even</td><td>{@link dev.nnzip.codec.half}</td></tr>
 *   <tr><td>kmeans</td><td>per-layer k-means weight sharing, Huffman-coded indices (Deep Compression)</td>
 *       <td>{@link dev.nnzip.codec.kmeans}</td></tr>
 *   <tr><td>prune</td><td>magnitude pruning with a sparse encoding, chained with a codec for the kept values</td>
 *       <td>{@link dev.nnzip.codec.prune}</td></tr>
 * </table>
 *
 * <p>The last six (the survey techniques of issue 6) are driven by settings rather than a bound
 * ({@link dev.nnzip.codec.WeightCodec#isErrorBounded()} is false): a {@link dev.nnzip.codec.CodecSpec} such as
 * {@code int4:block=64} or {@code prune:sparsity=0.5+smartdnn}, configured by {@link dev.nnzip.codec.Codecs#configure}.
 * They record the measured largest error as the tensor's absolute bound, so the guarantee below holds for them with that
 * bound.
 *
 * <p>Guarantees, for every codec: {@code |w − ŵ| <= eb} for every weight, checked by the encoder value by value with the
 * decoder's own float arithmetic (values that rounding would push past the bound are stored raw), and decoders that meet a
 * corrupt payload throw {@link dev.nnzip.codec.MalformedInputException} and nothing else. Each codec has a fast decoder and
 * a plain reference decoder ({@link dev.nnzip.codec.DecoderKind}); tests hold them to bit-identical output.
 *
 * <p>Shared machinery lives in {@link dev.nnzip.codec.entropy} (canonical Huffman), {@link dev.nnzip.codec.quant} (SZ's
 * quantization alphabet and escapes) and {@link dev.nnzip.codec.spi} (bounds-checked payload I/O, the Zstd pass, byte
 * planes).
 */
package dev.nnzip.codec;
