/**
 * {@code smartdnn}: the Smart-DNN+ weight codec (Wu, Yang, Zou, Xia, Li, Hu, Zhang, Fang, "Smart-DNN+: A Memory-efficient
 * Neural Networks Compression Framework for the Model Inference", ACM TACO 20(4), 2023): a binary quantizer with a remapping
 * step, a bucket encoder for its residuals, Huffman coding and Zstd.
 *
 * <h2>Binary quantizer and bucket encoder</h2>
 * Each weight is split into its sign {@code s = ±1} (the float's sign bit, one bit per weight) and a scale {@code α_s}
 * chosen by the remapping step, and the residual is bucketed with the error bound: {@code id = round((w − α_s·s)/step)},
 * {@code ŵ = α_s·s + step·id}, {@code step} the largest float {@code <= 2·eb}. We code the id folded by the sign,
 * {@code m = s·id = round((|w| − α_s)/step)}, so {@code ŵ = s·(α_s + step·m)}: the same quantizer, but the residuals of
 * both signs share one distribution and one code. Ids outside ±32,767, and values whose float reconstruction would miss
 * the bound, are escaped and stored raw ("unpredictable", as SZ does) — so {@code |w − ŵ| <= eb} holds for every weight.
 *
 * <h2>Remapping (our design; the paper gives no formula)</h2>
 * {@link dev.nnzip.codec.smartdnn.Remapper} scores candidates by their exact coded size (Huffman code lengths built from
 * each candidate's histograms, plus tables, sign bits, escapes and side information) and keeps the smallest:
 * <ul>
 *   <li>α per sign = 0, mean |w| or median |w|, per tensor or per row of the leading dimension (output channel);</li>
 *   <li>rows grouped into 1–16 scale classes by mean |w|, each class with its own Huffman code;</li>
 *   <li>one code per class, or one per class and sign;</li>
 *   <li>with α = 0, no sign bit for values whose id is 0 (their reconstruction is zero either way).</li>
 * </ul>
 * Why: shifting a distribution does not change its entropy, so α alone cannot beat plain uniform quantization on a
 * symmetric layer, and storing every sign costs {@code P(|w| < eb)} extra bits per weight (what ANCHORS.md saw as the split
 * coming out a few % worse). What pays is the per-channel structure: output channels of trained layers differ in scale by
 * several times, and a code per scale class saves the mixing cost {@code H(id) − H(id | class)}. Measured on weight-like
 * tensors with per-channel scales ({@code CompressionRatioReportTest}): +2–4 % over {@code uniform} on a small conv layer,
 * +3–6 % on a 512×1024 linear layer, +8–12 % with wide channel scales; on i.i.d. Gaussian weights it picks the
 * uniform-equivalent candidate and ties.
 *
 * <h2>Per-row widths ({@code smartdnn:rowsteps=true})</h2>
 * Optional, off in the registry's instance: each row of the leading dimension whose RMS is below the tensor's gets the
 * width {@code step·2^(−k/8)}, {@code k = round(8·log2(RMS_tensor/RMS_row))} (clamped to 0..255) (see
 * {@link dev.nnzip.codec.smartdnn.RowSteps}), so every output channel narrower than the tensor is quantized as finely,
 * relative to its own scale (to a sixteenth of an octave), as the tensor relative to its own. Never coarser than {@code step}: the bound is unchanged. Used by the
 * default compression policy, where BatchNorm folding leaves filters whose channels differ in scale by several octaves.
 *
 * <h2>Grid offset ({@code smartdnn:offset=f})</h2>
 * Encoder-only, 0 by default: the remapping's scales grow by {@code f·step} ({@link
 * dev.nnzip.codec.smartdnn.Remapping#shifted}), which moves every bucket edge of the grid by that much. Each weight is
 * still rounded to its nearest grid point, so the bound holds, and the payload is the ordinary one with non-zero
 * scales (sign elision, which needs α = 0, is given up). Different offsets are different roundings of the same tensor
 * at about the same size; {@code tune.RoundingSearch} picks, per layer, the one that does least damage on calibration
 * data.
 *
 * <h2>Payload</h2>
 * Parameters: {@code u8 version=1, f64 eb, f32 step, u8 flags (1 = per-sign codes, 2 = zero signs elided, 4 = all α = 0
 * and not stored, 8 = per-row widths), varint groupLength, varint groups, [groups × (f32 α⁺, f32 α⁻)], [flag 8: varint
 * rowLength (divides groupLength), u8 k per row: stream], u8 classes, [class per group: stream], one Huffman length
 * table per context} (context = class, or 2·class + sign).
 * Block: {@code sign bits (stream, LSB first), one symbol stream per context holding the block's values of that context in
 * order, escapes}.
 *
 * <h2>Decoding</h2>
 * Four-lane table Huffman decoding, then a Vector API loop (8 lanes: one sign byte selects α⁺/α⁻ and flips the sign bit)
 * that computes exactly the scalar formula; elided signs are spread back to one bit per value with {@link Long#expand}
 * (PDEP). Scalar fallbacks run when {@code jdk.incubator.vector} is absent; the reference decoder evaluates
 * {@link dev.nnzip.codec.smartdnn.SmartDnnQuantizer#reconstruct} value by value.
 */
package dev.nnzip.codec.smartdnn;
