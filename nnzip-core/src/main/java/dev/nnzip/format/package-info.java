/**
 * The {@code .nnz} container (specified in docs/FORMAT.md): a fixed header, aligned, independently decodable and
 * CRC32C-checked weight blocks, the ONNX graph with its weight data removed (ONNX's own ModelProto bytes), and a tensor
 * table naming each weight's codec, parameters, error bound and blocks. Written to a temporary file and renamed, so a
 * failed or interrupted write never leaves a partial file; read through one read-only memory mapping without copying.
 */
package dev.nnzip.format;
