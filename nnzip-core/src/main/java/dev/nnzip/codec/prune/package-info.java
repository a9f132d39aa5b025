/**
 * {@code prune}: unstructured magnitude pruning (Han et al., NeurIPS 2015 — Deep Compression's first stage) with a sparse
 * encoding, composed with any other codec for the weights it keeps: {@code prune:sparsity=0.5+smartdnn},
 * {@code prune:threshold=0.01+int8}. Alone ({@code prune:sparsity=0.7}) the kept weights are stored exactly
 * ({@code lossless}).
 *
 * <p>Per layer: {@code sparsity=s} zeroes the {@code floor(s·n)} smallest magnitudes (ties by index); {@code threshold=t}
 * zeroes every {@code |w| < t}, one global criterion for all layers. Pruned weights decode to exactly {@code +0.0}; the
 * error bound the value codec is given is resolved once over the kept weights. Without retraining (which the paper uses
 * to recover accuracy, and nnzip does not do) accuracy falls quickly beyond ~50–70 % sparsity on small dense models.
 *
 * <p>Each block is self-contained: the keep bitmap (LSB first, Zstd'd where that pays), the kept count, then the kept
 * values as a one-block tensor of the value codec — its parameters, then its block payload — so a block decodes alone and
 * the chain works in every memory mode. Parameters: {@code u8 version=1, spec text (the chain), value codec name}.
 */
package dev.nnzip.codec.prune;
