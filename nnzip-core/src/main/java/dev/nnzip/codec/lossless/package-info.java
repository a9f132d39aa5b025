/**
 * {@code lossless}: byte-plane shuffle + Zstd, bit-exact (NaN payloads, −0.0 and denormals included), for tensors that must
 * not change: biases, normalization parameters, small tensors.
 *
 * <p>The four bytes of each float's bits are split into four planes (the "shuffle" filter of Blosc and HDF5), each a
 * {@link dev.nnzip.codec.spi.ByteStreams stream} stored or Zstd-compressed, whichever is smaller. Sign/exponent bytes of
 * weights repeat a lot, low mantissa bytes are noise; split, Zstd compresses the first and leaves the second alone (ANCHORS:
 * ~1.2× on real weights against 1.08–1.12× for Zstd on the raw bytes).
 *
 * <p>Parameters: {@code u8 version=1}. Block: four byte-plane streams of {@code count} bytes.
 */
package dev.nnzip.codec.lossless;
