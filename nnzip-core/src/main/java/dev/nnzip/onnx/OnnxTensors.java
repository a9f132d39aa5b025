package dev.nnzip.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.nnzip.ModelFormatException;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Converts between ONNX {@code TensorProto} and {@link Tensor}, following onnx.proto's rules for where each type's data
 * lives: {@code raw_data} (little-endian, any fixed-size type) or the typed repeated fields ({@code float_data},
 * {@code int32_data} for all narrow integer types, bool and 16-bit floats, {@code int64_data}, {@code double_data},
 * {@code uint64_data} for uint32/uint64, {@code string_data}).
 */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /** The tensor's shape, checked: non-negative and addressable by a Java array. */
    public static int[] shapeOf(TensorProto t) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        try {
            long n = Shapes.sizeExact(dims);
            if (n > Integer.MAX_VALUE) {
                throw new ModelFormatException("tensor '" + t.getName() + "' has " + n
                        + " elements; at most 2^31-1 are supported per tensor");
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new ModelFormatException("tensor '" + t.getName() + "' has an invalid shape " + Arrays.toString(dims));
        }
        return Arrays.stream(dims).mapToInt(d -> (int) d).toArray();
    }

    public static DType dtypeOf(TensorProto t) {
        try {
            return DType.fromOnnx(t.getDataType());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("tensor '" + t.getName() + "': " + e.getMessage());
        }
    }

    /**
     * Checks, without decoding, that an inline tensor holds exactly as much data as its shape and type need, so a
     * corrupted model fails at load naming the tensor rather than at first use.
     */
    public static void validateInline(TensorProto t) {
        DType dtype = dtypeOf(t);
        long n = Shapes.size(shapeOf(t));
        if (t.hasRawData()) {
            long need = n * dtype.byteSize();
            if (dtype != DType.STRING && t.getRawData().size() != need) {
                throw new ModelFormatException("tensor '" + t.getName() + "' holds " + t.getRawData().size()
                        + " bytes of data but its " + dtype + " shape " + t.getDimsList() + " needs " + need);
            }
            return;
        }
        int have = switch (dtype) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            case STRING -> t.getStringDataCount();
            default -> t.getInt32DataCount();
        };
        if (have != n) {
            throw new ModelFormatException("tensor '" + t.getName() + "' has " + have + " values but its " + dtype
                    + " shape " + t.getDimsList() + " needs " + n);
        }
    }

    /**
     * Decodes a tensor whose data is inline ({@code raw_data} or typed fields). External data is resolved by the caller,
     * which passes the bytes as {@code external} (null otherwise).
     */
    public static Tensor toTensor(TensorProto t, ByteBuffer external) {
        DType dtype = dtypeOf(t);
        int[] shape = shapeOf(t);
        int n = Shapes.size(shape);
        if (external != null) {
            return fromRaw(t.getName(), dtype, shape, n, external);
        }
        if (t.hasRawData()) {
            return fromRaw(t.getName(), dtype, shape, n, t.getRawData().asReadOnlyByteBuffer());
        }
        return switch (dtype) {
            case FLOAT -> {
                check(t, t.getFloatDataCount(), n, "float_data");
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = t.getFloatData(i);
                }
                yield Tensor.of(f, shape);
            }
            case DOUBLE -> {
                check(t, t.getDoubleDataCount(), n, "double_data");
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = t.getDoubleData(i);
                }
                yield Tensor.of(d, shape);
            }
            case INT64 -> {
                check(t, t.getInt64DataCount(), n, "int64_data");
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = t.getInt64Data(i);
                }
                yield Tensor.of(l, shape);
            }
            case UINT32, UINT64 -> {
                check(t, t.getUint64DataCount(), n, "uint64_data");
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = t.getUint64Data(i);
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case INT32, INT16, INT8, UINT16, UINT8 -> {
                check(t, t.getInt32DataCount(), n, "int32_data");
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = t.getInt32Data(i);
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case BOOL -> {
                check(t, t.getInt32DataCount(), n, "int32_data");
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = t.getInt32Data(i) != 0;
                }
                yield Tensor.of(b, shape);
            }
            case FLOAT16, BFLOAT16 -> {
                check(t, t.getInt32DataCount(), n, "int32_data");
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(dtype, t.getInt32Data(i));
                }
                yield Tensor.wrap(dtype, shape, f);
            }
            case STRING -> {
                check(t, t.getStringDataCount(), n, "string_data");
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    s[i] = t.getStringData(i).toStringUtf8();
                }
                yield Tensor.wrap(dtype, shape, s);
            }
        };
    }

    private static void check(TensorProto t, int have, int want, String field) {
        if (have != want) {
            throw new ModelFormatException("tensor '" + t.getName() + "' has " + have + " values in " + field
                    + " but its shape " + t.getDimsList() + " needs " + want);
        }
    }

    private static float halfToFloat(DType dtype, int bits) {
        return dtype == DType.FLOAT16 ? Float.float16ToFloat((short) bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private static Tensor fromRaw(String name, DType dtype, int[] shape, int n, ByteBuffer raw) {
        if (dtype == DType.STRING) {
            throw new ModelFormatException("tensor '" + name + "': string tensors cannot use raw_data");
        }
        long need = (long) n * dtype.byteSize();
        if (raw.remaining() != need) {
            throw new ModelFormatException("tensor '" + name + "' holds " + raw.remaining() + " bytes of data but its "
                    + dtype + " shape " + Arrays.toString(shape) + " needs " + need);
        }
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case FLOAT -> {
                float[] f = new float[n];
                b.asFloatBuffer().get(f);
                yield Tensor.of(f, shape);
            }
            case DOUBLE -> {
                double[] d = new double[n];
                b.asDoubleBuffer().get(d);
                yield Tensor.of(d, shape);
            }
            case INT64, UINT64 -> {
                long[] l = new long[n];
                b.asLongBuffer().get(l);
                yield Tensor.wrap(dtype, shape, l);
            }
            case INT32 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = b.getInt();
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case UINT32 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = Integer.toUnsignedLong(b.getInt());
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case INT16, UINT16 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    short s = b.getShort();
                    l[i] = dtype == DType.INT16 ? s : Short.toUnsignedLong(s);
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case INT8, UINT8 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    byte v = b.get();
                    l[i] = dtype == DType.INT8 ? v : Byte.toUnsignedLong(v);
                }
                yield Tensor.wrap(dtype, shape, l);
            }
            case BOOL -> {
                boolean[] bo = new boolean[n];
                for (int i = 0; i < n; i++) {
                    bo[i] = b.get() != 0;
                }
                yield Tensor.of(bo, shape);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(dtype, b.getShort());
                }
                yield Tensor.wrap(dtype, shape, f);
            }
            case STRING -> throw new IllegalStateException("unreachable");
        };
    }

    /** Encodes a tensor as a TensorProto with little-endian {@code raw_data} (strings in {@code string_data}). */
    public static TensorProto toProto(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxId());
        for (int d : t.shape()) {
            b.addDims(d);
        }
        if (t.dtype() == DType.STRING) {
            for (String s : t.strings()) {
                b.addStringData(ByteString.copyFromUtf8(s));
            }
            return b.build();
        }
        int n = t.size();
        ByteBuffer buf = ByteBuffer.allocate(n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT -> buf.asFloatBuffer().put(t.floats());
            case DOUBLE -> buf.asDoubleBuffer().put(t.doubles());
            case INT64, UINT64 -> buf.asLongBuffer().put(t.longs());
            case INT32, UINT32 -> {
                for (long v : t.longs()) {
                    buf.putInt((int) v);
                }
            }
            case INT16, UINT16 -> {
                for (long v : t.longs()) {
                    buf.putShort((short) v);
                }
            }
            case INT8, UINT8 -> {
                for (long v : t.longs()) {
                    buf.put((byte) v);
                }
            }
            case BOOL -> {
                for (boolean v : t.booleans()) {
                    buf.put((byte) (v ? 1 : 0));
                }
            }
            case FLOAT16 -> {
                for (float v : t.floats()) {
                    buf.putShort(Float.floatToFloat16(v));
                }
            }
            case BFLOAT16 -> {
                for (float v : t.floats()) {
                    buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                }
            }
            case STRING -> throw new IllegalStateException("unreachable");
        }
        buf.clear(); // the bulk views above do not move buf's position; every byte is written
        return b.setRawData(ByteString.copyFrom(buf)).build();
    }
}
