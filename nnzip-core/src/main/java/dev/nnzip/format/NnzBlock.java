package dev.nnzip.format;

/**
 * One independently decodable block of a tensor: where its payload lies in the file, how many values it decodes to,
 * and the CRC32C of its payload bytes.
 */
public record NnzBlock(long offset, int length, int values, int crc32c) {
}
