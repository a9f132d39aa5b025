/**
 * {@code uniform}: the ablation of smartdnn, with no binary split and no remapping.
 *
 * <p>{@code q = round(w / step)} with {@code step} the largest float {@code <= 2·eb}, {@code ŵ = q·step} in float;
 * {@code q} outside ±32,767, or any value whose float reconstruction would miss the bound, is escaped and stored raw. The
 * ids are Huffman-coded with the shared machinery ({@link dev.nnzip.codec.entropy}) and Zstd'd where that pays, exactly as
 * smartdnn's and sz's are, so comparing the three isolates what the binary quantizer and the predictors contribute.
 *
 * <p>Parameters: {@code u8 version=1, f64 eb, f32 step, Huffman length table}. Block: {@code symbols}
 * ({@link dev.nnzip.codec.entropy.SymbolStreams}), {@code escapes} ({@link dev.nnzip.codec.quant.EscapeValues}).
 */
package dev.nnzip.codec.uniform;
