/**
 * Graph transforms: rewrites of the model's layers that run before the codecs (issue 6), so their output is compressed,
 * stored and run like any model. {@link dev.nnzip.compress.transform.LowRankTransform} factorises Gemm / MatMul / 1×1 Conv
 * weights by truncated SVD ({@link dev.nnzip.compress.transform.TruncatedSvd}, Jacobi on the Gram matrix, no dependency).
 * Configured with the codec spec syntax: {@code lowrank:energy=0.95}.
 */
package dev.nnzip.compress.transform;
