/**
 * Canonical Huffman coding of integer symbols, the entropy stage of the quantizing codecs (as in SZ, Tao et al. 2017).
 *
 * <ul>
 *   <li>{@link dev.nnzip.codec.entropy.HuffmanLengths}: optimal code lengths (Moffat–Katajainen), limited to 15 bits.</li>
 *   <li>{@link dev.nnzip.codec.entropy.HuffmanCode}: the canonical code and its compact length table (run-length coded,
 *       ~100–300 bytes for a weight histogram).</li>
 *   <li>{@link dev.nnzip.codec.entropy.HuffmanDecoder}: 12-bit lookup table, 64-bit unaligned loads, four independent
 *       lanes decoded at once (~2 ns/symbol on the project machine vs ~3.4 ns for one stream); plus the bit-at-a-time
 *       reference decoder.</li>
 *   <li>{@link dev.nnzip.codec.entropy.SymbolStreams}: the framing inside a block: shared (per tensor) or per-block code,
 *       lane lengths, and the Zstd pass.</li>
 * </ul>
 *
 * <p>Why Huffman and no rANS: measured on weight-like tensors ({@code CompressionRatioReportTest}), the whole uniform payload
 * (codes, tables, escapes, headers) is within 0.3–2.4 % of the order-0 entropy of its ids, and below it where per-block
 * tables adapt. An arithmetic/ANS coder could win at most that, at a slower, harder-to-verify decoder.
 */
package dev.nnzip.codec.entropy;
