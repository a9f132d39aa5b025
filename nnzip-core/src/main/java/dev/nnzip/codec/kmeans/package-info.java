/**
 * {@code kmeans}: weight sharing, the second stage of Deep Compression (Han, Mao and Dally, ICLR 2016, §3).
 *
 * <p>Per tensor, one-dimensional k-means with {@code 2^bits} centroids, linear initialisation over {@code [min, max]}
 * (the paper's best choice), Lloyd iterations to convergence ({@link dev.nnzip.codec.kmeans.ScalarKMeans}); each weight
 * becomes the index of its nearest centroid, and the indices are Huffman-coded (the paper's third stage) with a code
 * shared by the tensor. A tensor never decodes to more than {@code 2^bits} distinct values. Without the paper's
 * retraining of the centroids (fine-tuning the shared values by gradient), accuracy at low bit widths is lower than it
 * reports; nnzip does no training.
 *
 * <p>Parameters: {@code u8 version=1, spec text, u8 bits, varint k (<= 2^bits), k × f32 centroids (sorted), Huffman
 * length table (k symbols)}. Block: the indices ({@link dev.nnzip.codec.entropy.SymbolStreams}).
 */
package dev.nnzip.codec.kmeans;
