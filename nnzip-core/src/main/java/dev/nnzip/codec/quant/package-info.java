/**
 * SZ's linear-scaling quantization alphabet shared by the quantizing codecs (Tao et al., "Significantly Improving Lossy
 * Compression for Scientific Data Sets Based on Multidimensional Prediction and Error-Controlled Quantization", IPDPS 2017):
 * bins of width {@code 2·eb}, 65,536 intervals, symbol 0 for "unpredictable" values that are stored raw.
 */
package dev.nnzip.codec.quant;
