/**
 * {@code fp16} and {@code bf16}: weights stored as 16-bit floats, the survey's cheapest quantization and the storage type
 * of most released models.
 *
 * <p>fp16 = IEEE 754 binary16 (11 significant bits, range ±65504, subnormals down to 2^-24); bf16 = the top half of a
 * binary32 (8 significant bits, float's range). Both round to nearest, ties to even. A finite weight that would overflow
 * to infinity (possible only in fp16) is stored raw, so every decoded weight is finite and the recorded bound — the
 * measured largest error — holds; NaN and infinities are rejected like in every lossy codec.
 *
 * <p>Parameters: {@code u8 version=1, spec text}. Block: low byte plane and high byte plane of the 16-bit codes, each a
 * {@link dev.nnzip.codec.spi.ByteStreams} stream, then {@code varint escapes} and per escape
 * {@code varint gap to the previous escape, f32 value}.
 */
package dev.nnzip.codec.half;
