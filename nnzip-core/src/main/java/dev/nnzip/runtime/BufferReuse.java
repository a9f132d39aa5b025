package dev.nnzip.runtime;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.InPlaceKernel;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.runtime.shape.ShapeUnknownException;
import dev.nnzip.runtime.shape.TensorType;
import dev.nnzip.tensor.DType;
import java.util.Arrays;
import java.util.Set;

/**
 * Which input's array a node's output is, when it is not a fresh one: the kernels' own behaviour, stated for the
 * {@link ActivationPlanner}. Views (Reshape, Flatten, Squeeze, Unsqueeze, Identity, inference Dropout) always hand on
 * their input's array; Transpose with the identity permutation, Pad by edge/reflect/wrap with no padding and a Resize
 * that changes no axis return their input as is; a kernel that computes in place ({@link InPlaceKernel}: the
 * element-wise ops) is asked which input it takes. Every other output is a new array. {@code BufferReuseTest},
 * {@code InPlaceTest} and the planned-vs-measured tests keep this in step with the kernels.
 */
final class BufferReuse {
    private BufferReuse() {
    }

    /** Returned for an output that gets a new array. */
    static final int FRESH = -1;

    private static final Set<String> VIEWS = Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    /**
     * The input whose array output {@code k} of {@code node} is, or {@link #FRESH}. {@code in}/{@code out} are the
     * inferred types; {@code overwritable} is the session's mask (bit i: input i may take the output).
     *
     * @throws ShapeUnknownException when the kernel's choice cannot be told from types and known values
     */
    static int source(Node node, OpKernel kernel, int opset, int k, TensorType[] in, TensorType[] out,
                      long overwritable) {
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            return FRESH;
        }
        String op = node.opType();
        if (k != 0) {
            return FRESH;
        }
        if (VIEWS.contains(op)) {
            return 0;
        }
        return switch (op) {
            case "Dropout" -> dropoutTraining(node, opset, in) ? FRESH : 0;
            case "Transpose" -> identityPermutation(node, in[0].rank()) ? 0 : FRESH;
            case "Pad" -> padsNothing(node, opset, in) ? 0 : FRESH;
            case "Resize", "Upsample" -> resizeReturnsInput(node, in, out[0]) ? 0 : FRESH;
            default -> kernel instanceof InPlaceKernel k0 ? inPlace(k0, in, out[0], overwritable) : FRESH;
        };
    }

    private static int inPlace(InPlaceKernel kernel, TensorType[] in, TensorType out, long overwritable) {
        DType[] types = new DType[in.length];
        int[][] shapes = new int[in.length][];
        for (int i = 0; i < in.length; i++) {
            types[i] = in[i] == null ? null : in[i].dtype();
            shapes[i] = in[i] == null ? null : in[i].shape();
        }
        int i = kernel.overwrittenInput(types, shapes, out.shape(), overwritable);
        return i < 0 ? FRESH : i;
    }

    /** Dropout computes a new array only in training mode (opset 12+: training_mode true and ratio not 0). */
    private static boolean dropoutTraining(Node node, int opset, TensorType[] in) {
        if (opset < 12 || in.length < 3 || in[2] == null) {
            return false;
        }
        if (in[2].value() == null || (in.length > 1 && in[1] != null && in[1].value() == null)) {
            throw new ShapeUnknownException(node.describe() + ": whether Dropout copies depends on its training_mode"
                    + " and ratio inputs, which are computed at run time");
        }
        boolean training = in[2].value().getDouble(0) != 0;
        double ratio = in.length > 1 && in[1] != null ? in[1].value().getDouble(0) : 0.5;
        return training && ratio != 0;
    }

    /** Transpose hands on its input when the permutation (default: reversed axes) is the identity. */
    private static boolean identityPermutation(Node node, int rank) {
        long[] perm = node.attributes().getInts("perm", null);
        for (int i = 0; i < rank; i++) {
            long p = perm == null ? rank - 1 - i : perm[i] < 0 ? perm[i] + rank : perm[i];
            if (p != i) {
                return false;
            }
        }
        return true;
    }

    /** Edge, reflect and wrap padding with all pads 0 return the input (constant mode always copies). */
    private static boolean padsNothing(Node node, int opset, TensorType[] in) {
        if (node.attributes().getString("mode", "constant").equals("constant")) {
            return false;
        }
        long[] pads;
        if (opset < 11) {
            pads = node.attributes().getInts("pads", new long[0]);
        } else if (in[1].value() != null) {
            pads = in[1].value().toLongArray();
        } else {
            throw new ShapeUnknownException(node.describe() + ": Pad's pads are computed at run time");
        }
        return Arrays.stream(pads).allMatch(p -> p == 0);
    }

    /**
     * Resize returns its input when no axis changes: every scale exactly 1 (or every size the input's, stretched),
     * no crop, a non-empty float (or nearest-mode) tensor. The shape alone cannot tell a scale of 1.01 that keeps the
     * length (a resampling table that may still be the identity); such a node is reported, not guessed.
     */
    private static boolean resizeReturnsInput(Node node, TensorType[] in, TensorType out) {
        if (!Arrays.equals(in[0].shape(), out.shape()) || in[0].size() == 0) {
            return false;
        }
        String mode = node.attributes().getString("mode", "nearest");
        if (in[0].dtype().storage() == DType.Storage.LONG && !mode.equals("nearest")) {
            return false; // integers are interpolated in double and converted back: a new array
        }
        boolean crop = node.attributes().getString("coordinate_transformation_mode", "")
                .equals("tf_crop_and_resize");
        boolean stretch = node.attributes().getString("keep_aspect_ratio_policy", "stretch").equals("stretch");
        double[] scales = null;
        if (node.opType().equals("Upsample") && !node.attributes().has("scales") || node.opType().equals("Resize")) {
            int idx = node.opType().equals("Upsample") || in.length < 3 ? 1 : 2;
            if (idx < in.length && in[idx] != null && in[idx].size() > 0 && in[idx].value() != null) {
                scales = new double[in[idx].size()];
                for (int i = 0; i < scales.length; i++) {
                    scales[i] = in[idx].value().getDouble(i);
                }
            }
        } else {
            float[] f = node.attributes().getFloats("scales", new float[0]);
            scales = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                scales[i] = f[i];
            }
        }
        boolean sizesGiven = node.opType().equals("Resize") && in.length > 3 && in[3] != null && in[3].size() > 0;
        if (!crop && (sizesGiven ? stretch : scales != null && Arrays.stream(scales).allMatch(x -> x == 1))) {
            return true;
        }
        throw new ShapeUnknownException(node.describe() + ": Resize keeps the shape " + Arrays.toString(out.shape())
                + " with scales " + Arrays.toString(scales) + "; whether it copies depends on its coordinate tables");
    }
}
