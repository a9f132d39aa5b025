/**
 * {@code int8}: linear 8-bit quantization per output channel, the scheme of ONNX QuantizeLinear / TFLite and the survey's
 * "parameter quantization" (Jacob et al., CVPR 2018).
 *
 * <p>Symmetric (default): {@code scale_c = max|w|/127}, {@code q = round(w/scale_c) ∈ [−127, 127]}. Asymmetric
 * ({@code asym=true}): the range {@code [min(min_c, 0), max(max_c, 0)]} over 255 steps, an integer zero point
 * {@code z_c = round(−min/scale_c)} so 0 stays exact (pruned weights stay zero), {@code q ∈ [0, 255]}. Reconstruction
 * {@code ŵ = (q − z_c)·scale_c}, one product in double rounded once to float; hence {@code |w − ŵ| <= scale_c/2} up to that
 * last rounding (half an ulp of ŵ). The channel axis is 0 unless {@code axis=} says otherwise; rank ≤ 1 tensors use one
 * scale. The codes are then Huffman-coded per block with a code shared by the tensor (so the file is usually below
 * 8 bits/weight, and the codes never need unpacking at run time: they become floats when a layer is decoded).
 *
 * <p>Parameters: {@code u8 version=1, spec text, u8 asym, varint channels, varint inner stride, channels × (f32 scale
 * [, u8 zero point]), Huffman length table (256 symbols)}. Block: {@code symbols}
 * ({@link dev.nnzip.codec.entropy.SymbolStreams}).
 */
package dev.nnzip.codec.int8;
