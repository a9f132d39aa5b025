/**
 * Kernels on the channel-blocked layout ("NCHWc") that ONNX Runtime's NCHWc transformer and MLAS use for convolution
 * regions: a tensor {@code [N, C, H, W]} is stored as {@code [N, ceil(C/B), H, W, B]}, channel {@code c} in block
 * {@code c / B}, lane {@code c % B}, so the B channels of one pixel are one contiguous vector. B is the preferred
 * vector's lane count ({@link dev.nnzip.kernels.blocked.BlockedLayout#preferredBlock()}); lanes past the last real
 * channel are padding that no kernel reads as a channel (readers stop at the real count).
 *
 * <p>Every kernel has a scalar reference that works for any B and a Vector API fast path used when B equals the
 * vector's lane count; only the package-private {@code Vector*} classes link {@code jdk.incubator.vector}.
 */
package dev.nnzip.kernels.blocked;
