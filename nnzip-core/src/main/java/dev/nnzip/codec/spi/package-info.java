/**
 * Building blocks for codec implementations: bounds-checked payload reading ({@link dev.nnzip.codec.spi.PayloadReader})
 * and writing, the Zstd-if-smaller stream ({@link dev.nnzip.codec.spi.ByteStreams}; libzstd through zstd-jni in
 * {@link dev.nnzip.codec.spi.ZstdFrames}), the
 * byte-plane shuffle of float bits ({@link dev.nnzip.codec.spi.BytePlanes}), encoder input checks, the exact bound test,
 * per-thread decode buffers and the decoder base class. Public only so the codec subpackages can share them; not an API.
 */
package dev.nnzip.codec.spi;
