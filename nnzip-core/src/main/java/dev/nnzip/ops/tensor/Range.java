package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;

/**
 * ONNX Range (opset 11): {@code start, start+delta, …} up to but excluding {@code limit}, with
 * {@code max(ceil((limit - start) / delta), 0)} elements, of the inputs' type. Integers are computed exactly; floats
 * accumulate {@code prev + delta} in the element type, as the spec's reference function body does.
 */
final class Range {
    private Range() {
    }

    static OpKernel create(Node node, int opset) {
        return (in, ctx) -> {
            Tensor start = Args.required(in, 0, "start");
            Tensor limit = Args.required(in, 1, "limit");
            Tensor delta = Args.required(in, 2, "delta");
            if (start.dtype() != limit.dtype() || start.dtype() != delta.dtype()) {
                throw new IllegalArgumentException("Range start, limit and delta must share one type, got "
                        + start.dtype() + ", " + limit.dtype() + ", " + delta.dtype());
            }
            return new Tensor[] {switch (start.dtype().storage()) {
                case LONG -> integers(start, limit, delta);
                case FLOAT -> floats(start, limit, delta);
                case DOUBLE -> doubles(start, limit, delta);
                default -> throw new IllegalArgumentException("Range does not support " + start.dtype());
            }};
        };
    }

    private static Tensor integers(Tensor startT, Tensor limitT, Tensor deltaT) {
        long start = Args.scalarInt(startT, "start");
        long limit = Args.scalarInt(limitT, "limit");
        long delta = Args.scalarInt(deltaT, "delta");
        if (delta == 0) {
            throw new IllegalArgumentException("Range delta is 0");
        }
        long span = limit - start;
        // ceil(span / delta) for either sign of delta, exactly
        long n = Math.max(0, Math.floorDiv(span, delta) + (Math.floorMod(span, delta) != 0 ? 1 : 0));
        long[] out = new long[count(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = start + i * delta;
        }
        return Tensor.wrap(startT.dtype(), new int[] {out.length}, out);
    }

    private static Tensor floats(Tensor startT, Tensor limitT, Tensor deltaT) {
        float start = (float) Args.scalar(startT, "start");
        float limit = (float) Args.scalar(limitT, "limit");
        float delta = (float) Args.scalar(deltaT, "delta");
        if (delta == 0) {
            throw new IllegalArgumentException("Range delta is 0");
        }
        float[] out = new float[count(Math.ceil((double) (limit - start) / delta))];
        float v = start;
        for (int i = 0; i < out.length; i++, v += delta) {
            out[i] = v;
        }
        return Tensor.wrap(startT.dtype(), new int[] {out.length}, out);
    }

    private static Tensor doubles(Tensor startT, Tensor limitT, Tensor deltaT) {
        double start = Args.scalar(startT, "start");
        double limit = Args.scalar(limitT, "limit");
        double delta = Args.scalar(deltaT, "delta");
        if (delta == 0) {
            throw new IllegalArgumentException("Range delta is 0");
        }
        double[] out = new double[count(Math.ceil((limit - start) / delta))];
        double v = start;
        for (int i = 0; i < out.length; i++, v += delta) {
            out[i] = v;
        }
        return Tensor.wrap(startT.dtype(), new int[] {out.length}, out);
    }

    private static int count(double n) {
        if (Double.isNaN(n) || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Range would have " + n + " elements");
        }
        return (int) Math.max(0, n);
    }
}
