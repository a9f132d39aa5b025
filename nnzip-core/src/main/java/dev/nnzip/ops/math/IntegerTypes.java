package dev.nnzip.ops.math;

import dev.nnzip.tensor.DType;

/**
 * Integer semantics for values held widened in {@code long[]}: wrap-around to the declared width (two's complement, as
 * numpy and C do for integer arithmetic), the value range of each type, saturating conversion from floating point, and
 * the unsigned view of UINT64.
 */
public final class IntegerTypes {
    private static final double TWO_63 = 0x1p63;

    private IntegerTypes() {
    }

    /** Reduces {@code v} to the value range of {@code type} modulo 2^bits (UINT64 and INT64 keep all 64 bits). */
    public static long wrap(DType type, long v) {
        return switch (type) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFFL;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xFFFFL;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    /** Applies {@link #wrap} to every element of {@code data[from, to)}; nothing to do for 64-bit types. */
    public static void wrapInPlace(DType type, long[] data, int from, int to) {
        if (type == DType.INT64 || type == DType.UINT64) {
            return;
        }
        for (int i = from; i < to; i++) {
            data[i] = wrap(type, data[i]);
        }
    }

    public static void wrapInPlace(DType type, long[] data) {
        wrapInPlace(type, data, 0, data.length);
    }

    /** Smallest value of an integer type (0 for unsigned types). */
    public static long min(DType type) {
        return switch (type) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** Largest value of an integer type; for UINT64 the bit pattern of 2^64-1 (i.e. -1L). */
    public static long max(DType type) {
        return switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 0xFF;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 0xFFFF;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xFFFF_FFFFL;
            case UINT64 -> -1L;
            default -> Long.MAX_VALUE;
        };
    }

    /** Compares two values of {@code type}: unsigned for UINT64, signed otherwise (smaller types are non-negative). */
    public static int compare(DType type, long a, long b) {
        return type == DType.UINT64 ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    /** The numeric value of an element as a double (UINT64 read unsigned). */
    public static double toDouble(DType type, long v) {
        if (type == DType.UINT64 && v < 0) {
            // the unsigned value is v + 2^64; halve with the low bit kept as a sticky bit so the double rounds once
            return ((v >>> 1) | (v & 1)) * 2.0;
        }
        return v;
    }

    /**
     * Floating point to integer: truncate toward zero, then saturate to the type's range; NaN becomes 0. The ONNX spec
     * leaves out-of-range casts undefined; saturating is the defined, portable choice (what ONNX itself specifies for
     * its saturating float8 casts).
     */
    public static long fromDouble(DType type, double d) {
        if (Double.isNaN(d)) {
            return 0;
        }
        if (type == DType.UINT64) {
            if (d <= 0) {
                return 0;
            }
            if (d >= 2 * TWO_63) {
                return -1L;
            }
            return d >= TWO_63 ? (long) (d - TWO_63) + Long.MIN_VALUE : (long) d;
        }
        long v = (long) d; // Java truncates toward zero and saturates at the long range
        return Math.max(min(type), Math.min(max(type), v));
    }

    /** Integer division truncating toward zero (C/ONNX semantics), unsigned for UINT64. */
    public static long divide(DType type, long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("integer division by zero");
        }
        return type == DType.UINT64 ? Long.divideUnsigned(a, b) : a / b;
    }
}
