package dev.nnzip.ops.reduce;

import dev.nnzip.ops.math.IntegerTypes;
import dev.nnzip.tensor.DType;

/**
 * The math of each Reduce* op over one contiguous group of values. Float sums accumulate in double, so a long row (a
 * mean over 768 or 4096 features) loses no precision to float32 rounding.
 *
 * <p>Empty groups give the identity of the reduction, as the opset-18 spec states: 0 for the sums and norms, 1 for
 * the product, -inf / +inf for max / min (the type's min / max for integers), -inf for LogSumExp, NaN for the mean.
 */
enum Reducer {
    SUM("ReduceSum") {
        @Override
        double reduce(float[] x, int from, int n) {
            // four independent accumulators: the adds overlap in the pipeline instead of waiting on each other
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = from;
            for (int end = from + (n & ~3); i < end; i += 4) {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
            }
            for (; i < from + n; i++) {
                s0 += x[i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += x[i];
            }
            return s;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long s = 0;
            for (int i = from; i < from + n; i++) {
                s += x[i];
            }
            return s;
        }
    },
    MEAN("ReduceMean") {
        @Override
        double reduce(float[] x, int from, int n) {
            return SUM.reduce(x, from, n) / n;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            return SUM.reduce(x, from, n) / n;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            if (n == 0) {
                return 0;
            }
            long sum = SUM.reduce(x, from, n, type);
            return type == DType.UINT64 ? Long.divideUnsigned(sum, n) : sum / n;
        }
    },
    MAX("ReduceMax") {
        @Override
        double reduce(float[] x, int from, int n) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = from; i < from + n; i++) {
                m = Math.max(m, x[i]); // NaN propagates, as numpy.max
            }
            return m;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = from; i < from + n; i++) {
                m = Math.max(m, x[i]);
            }
            return m;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long m = IntegerTypes.min(type);
            for (int i = from; i < from + n; i++) {
                m = IntegerTypes.compare(type, x[i], m) > 0 ? x[i] : m;
            }
            return m;
        }
    },
    MIN("ReduceMin") {
        @Override
        double reduce(float[] x, int from, int n) {
            float m = Float.POSITIVE_INFINITY;
            for (int i = from; i < from + n; i++) {
                m = Math.min(m, x[i]);
            }
            return m;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double m = Double.POSITIVE_INFINITY;
            for (int i = from; i < from + n; i++) {
                m = Math.min(m, x[i]);
            }
            return m;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long m = IntegerTypes.max(type);
            for (int i = from; i < from + n; i++) {
                m = IntegerTypes.compare(type, x[i], m) < 0 ? x[i] : m;
            }
            return m;
        }
    },
    PROD("ReduceProd") {
        @Override
        double reduce(float[] x, int from, int n) {
            double p = 1;
            for (int i = from; i < from + n; i++) {
                p *= x[i];
            }
            return p;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double p = 1;
            for (int i = from; i < from + n; i++) {
                p *= x[i];
            }
            return p;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long p = 1;
            for (int i = from; i < from + n; i++) {
                p *= x[i];
            }
            return p;
        }
    },
    L1("ReduceL1") {
        @Override
        double reduce(float[] x, int from, int n) {
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += Math.abs(x[i]);
            }
            return s;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += Math.abs(x[i]);
            }
            return s;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long s = 0;
            for (int i = from; i < from + n; i++) {
                s += type == DType.UINT64 ? x[i] : Math.abs(x[i]);
            }
            return s;
        }
    },
    L2("ReduceL2") {
        @Override
        double reduce(float[] x, int from, int n) {
            return Math.sqrt(SUM_SQUARE.reduce(x, from, n));
        }

        @Override
        double reduce(double[] x, int from, int n) {
            return Math.sqrt(SUM_SQUARE.reduce(x, from, n));
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            return IntegerTypes.fromDouble(type, Math.sqrt(IntegerTypes.toDouble(type,
                    SUM_SQUARE.reduce(x, from, n, type))));
        }
    },
    LOG_SUM_EXP("ReduceLogSumExp") {
        @Override
        double reduce(float[] x, int from, int n) {
            double m = MAX.reduce(x, from, n);
            if (Double.isInfinite(m) || Double.isNaN(m)) {
                return m; // all -inf (or empty) → -inf; any +inf → +inf; NaN stays
            }
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += Math.exp(x[i] - m); // shifted by the max: no term overflows (log-sum-exp trick)
            }
            return m + Math.log(s);
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double m = MAX.reduce(x, from, n);
            if (Double.isInfinite(m) || Double.isNaN(m)) {
                return m;
            }
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += Math.exp(x[i] - m);
            }
            return m + Math.log(s);
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = IntegerTypes.toDouble(type, x[from + i]);
            }
            return IntegerTypes.fromDouble(type, reduce(d, 0, n));
        }
    },
    SUM_SQUARE("ReduceSumSquare") {
        @Override
        double reduce(float[] x, int from, int n) {
            double s0 = 0;
            double s1 = 0;
            int i = from;
            for (int end = from + (n & ~1); i < end; i += 2) {
                double a = x[i];
                double b = x[i + 1];
                s0 += a * a;
                s1 += b * b;
            }
            if (i < from + n) {
                double a = x[i];
                s0 += a * a;
            }
            return s0 + s1;
        }

        @Override
        double reduce(double[] x, int from, int n) {
            double s = 0;
            for (int i = from; i < from + n; i++) {
                s += x[i] * x[i];
            }
            return s;
        }

        @Override
        long reduce(long[] x, int from, int n, DType type) {
            long s = 0;
            for (int i = from; i < from + n; i++) {
                s += x[i] * x[i];
            }
            return s;
        }
    };

    private final String opType;

    Reducer(String opType) {
        this.opType = opType;
    }

    String opType() {
        return opType;
    }

    /** The reduction of {@code x[from, from + n)}, in double (the caller rounds to the output type). */
    abstract double reduce(float[] x, int from, int n);

    abstract double reduce(double[] x, int from, int n);

    /** The reduction of {@code x[from, from + n)} as a 64-bit value (the caller wraps it to {@code type}). */
    abstract long reduce(long[] x, int from, int n, DType type);
}
