package dev.nnzip.ops.tensor;

import dev.nnzip.graph.Node;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.tensor.Tensor;
import java.util.Arrays;

/**
 * ONNX DepthToSpace (opsets 1, 11, 13) and SpaceToDepth (opsets 1, 13) on NCHW tensors, each a reshape to 6-D, a
 * transpose and a reshape back (the spec's own definition), done as one strided copy:
 * <ul>
 *   <li>DepthToSpace DCR (default): {@code [N, b, b, C/b², H, W]} permuted {@code [0, 3, 4, 1, 5, 2]};</li>
 *   <li>DepthToSpace CRD (opset 11+): {@code [N, C/b², b, b, H, W]} permuted {@code [0, 1, 4, 2, 5, 3]};</li>
 *   <li>SpaceToDepth: {@code [N, C, H/b, b, W/b, b]} permuted {@code [0, 3, 5, 1, 2, 4]}.</li>
 * </ul>
 */
final class DepthSpace {
    private DepthSpace() {
    }

    static OpKernel createDepthToSpace(Node node, int opset) {
        int b = blocksize(node);
        String mode = node.attributes().getString("mode", "DCR");
        if (!mode.equals("DCR") && !mode.equals("CRD")) {
            throw new IllegalArgumentException("DepthToSpace mode '" + mode + "' is not one of [DCR, CRD]");
        }
        boolean dcr = mode.equals("DCR");
        return (in, ctx) -> {
            Tensor x = input(in, "DepthToSpace");
            int n = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            if (c % (b * b) != 0) {
                throw new IllegalArgumentException("DepthToSpace channels " + c + " of " + Arrays.toString(x.shape())
                        + " are not a multiple of blocksize² = " + b * b);
            }
            int cOut = c / (b * b);
            int[] view = dcr ? new int[] {n, b, b, cOut, h, w} : new int[] {n, cOut, b, b, h, w};
            int[] perm = dcr ? new int[] {0, 3, 4, 1, 5, 2} : new int[] {0, 1, 4, 2, 5, 3};
            Tensor t = Transpose.permute(x.reshape(view), perm, ctx);
            return new Tensor[] {t.reshape(n, cOut, h * b, w * b)};
        };
    }

    static OpKernel createSpaceToDepth(Node node, int opset) {
        int b = blocksize(node);
        return (in, ctx) -> {
            Tensor x = input(in, "SpaceToDepth");
            int n = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            if (h % b != 0 || w % b != 0) {
                throw new IllegalArgumentException("SpaceToDepth height and width of " + Arrays.toString(x.shape())
                        + " must be multiples of blocksize " + b);
            }
            Tensor t = Transpose.permute(x.reshape(n, c, h / b, b, w / b, b), new int[] {0, 3, 5, 1, 2, 4}, ctx);
            return new Tensor[] {t.reshape(n, c * b * b, h / b, w / b)};
        };
    }

    private static int blocksize(Node node) {
        long b = node.attributes().getInt("blocksize", 0);
        if (b < 1 || b > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(node.opType() + " needs a positive 'blocksize' attribute, got " + b);
        }
        return (int) b;
    }

    private static Tensor input(Tensor[] in, String op) {
        Tensor x = Args.required(in, 0, "input");
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + " needs a 4-D NCHW input, got " + Arrays.toString(x.shape()));
        }
        return x;
    }
}
