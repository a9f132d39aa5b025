package dev.nnzip.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Element types, numbered as ONNX's {@code TensorProto.DataType}.
 *
 * <p>nnzip computes in float32; the other types exist for shape logic, indices, masks and for faithfully importing and
 * exporting whatever an ONNX file holds. Each type names the Java array that holds it in memory ({@link Storage}): all
 * integer types are held widened in {@code long[]} (their declared type is kept, so Cast and export stay exact), float16 and
 * bfloat16 are held widened in {@code float[]}.
 */
public enum DType {
    FLOAT(1, 4, Storage.FLOAT),
    UINT8(2, 1, Storage.LONG),
    INT8(3, 1, Storage.LONG),
    UINT16(4, 2, Storage.LONG),
    INT16(5, 2, Storage.LONG),
    INT32(6, 4, Storage.LONG),
    INT64(7, 8, Storage.LONG),
    STRING(8, 0, Storage.STRING),
    BOOL(9, 1, Storage.BOOL),
    FLOAT16(10, 2, Storage.FLOAT),
    DOUBLE(11, 8, Storage.DOUBLE),
    UINT32(12, 4, Storage.LONG),
    UINT64(13, 8, Storage.LONG),
    BFLOAT16(16, 2, Storage.FLOAT);

    /** The Java array kind that holds a tensor of this type. */
    public enum Storage { FLOAT, DOUBLE, LONG, BOOL, STRING }

    private final int onnxId;
    private final int byteSize;
    private final Storage storage;

    DType(int onnxId, int byteSize, Storage storage) {
        this.onnxId = onnxId;
        this.byteSize = byteSize;
        this.storage = storage;
    }

    /** ONNX {@code TensorProto.DataType} number. */
    public int onnxId() {
        return onnxId;
    }

    /** Bytes per element in ONNX's serialized form (0 for strings). */
    public int byteSize() {
        return byteSize;
    }

    public Storage storage() {
        return storage;
    }

    public boolean isFloatingPoint() {
        return storage == Storage.FLOAT || storage == Storage.DOUBLE;
    }

    public boolean isInteger() {
        return storage == Storage.LONG;
    }

    /** Looks a type up by its ONNX number; the error lists the supported ones. */
    public static DType fromOnnx(int onnxId) {
        for (DType t : values()) {
            if (t.onnxId == onnxId) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX element type " + onnxId + ", expected one of "
                + Arrays.stream(values()).map(t -> t.onnxId + " (" + t + ")").collect(Collectors.joining(", ")));
    }
}
