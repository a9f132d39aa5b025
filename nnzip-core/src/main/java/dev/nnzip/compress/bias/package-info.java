/**
 * Bias correction at compression time (Nagel et al., "Data-Free Quantization Through Weight Equalization and Bias
 * Correction", ICCV 2019, §4.2): each lossy layer's bias absorbs the mean shift its weight error causes, computed from
 * the weights the codec really decodes. {@link dev.nnzip.compress.bias.BiasCorrection} names the modes;
 * {@link dev.nnzip.compress.ModelCompressor} runs them.
 */
package dev.nnzip.compress.bias;
