/**
 * {@code int4}: 4-bit symmetric quantization in groups, the scheme of GGUF's Q4_0 and ONNX's {@code MatMulNBits}.
 *
 * <p>Each group of {@code block} consecutive values (8–1024, default 32; the range is 32–128) has
 * {@code scale = max|w|/7}, codes {@code q = round(w/scale) ∈ [−8, 7]}, {@code ŵ = q·scale} (one product in double, one
 * rounding), so {@code |w − ŵ| <= scale/2} up to that rounding. Groups start at the first value of each codec block (they
 * never straddle two blocks, so a block decodes on its own). Differences from Q4_0, on purpose: scales are stored as f32
 * (byte-plane shuffled and Zstd'd) rather than f16, so any float range works (a f16 scale overflows above 65504·7 and
 * underflows for tiny layers), and the 4-bit codes are Huffman-coded with a code shared by the tensor rather than packed
 * two per byte — the decoder's output is the same floats either way; the entropy coder only removes redundancy.
 *
 * <p>Parameters: {@code u8 version=1, spec text, varint group, Huffman length table (16 symbols)}. Block: the group
 * scales ({@link dev.nnzip.codec.spi.BytePlanes}), then the codes ({@link dev.nnzip.codec.entropy.SymbolStreams}).
 */
package dev.nnzip.codec.int4;
