package dev.nnzip.kernels;

/**
 * Convolutions straight from their definitions, in double precision, as test oracles. Each also returns the per-output
 * magnitude {@code Σ|w·x| + |bias|} that rounding errors are relative to.
 */
final class ConvReference {
    private ConvReference() {
    }

    /** {@code [values, scale]} of a forward convolution (ONNX Conv) followed by {@code act}. */
    static float[][] conv(ConvGeometry g, float[] x, float[] w, float[] bias, Activation act) {
        int[] in = g.in();
        int[] out = g.out();
        int[] k = g.kernel();
        int cg = g.inPerGroup();
        int mg = g.outPerGroup();
        float[] y = new float[g.batch() * g.outChannels() * g.outPlane()];
        float[] scale = new float[y.length];
        int yi = 0;
        for (int n = 0; n < g.batch(); n++) {
            for (int m = 0; m < g.outChannels(); m++) {
                int grp = m / mg;
                for (int o0 = 0; o0 < out[0]; o0++) {
                    for (int o1 = 0; o1 < out[1]; o1++) {
                        for (int o2 = 0; o2 < out[2]; o2++, yi++) {
                            double s = 0;
                            double mag = 0;
                            for (int c = 0; c < cg; c++) {
                                for (int k0 = 0; k0 < k[0]; k0++) {
                                    for (int k1 = 0; k1 < k[1]; k1++) {
                                        for (int k2 = 0; k2 < k[2]; k2++) {
                                            int i0 = pos(g, 0, o0, k0);
                                            int i1 = pos(g, 1, o1, k1);
                                            int i2 = pos(g, 2, o2, k2);
                                            if (i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0
                                                    || i2 >= in[2]) {
                                                continue;
                                            }
                                            double xv = x[(((n * g.inChannels() + grp * cg + c) * in[0] + i0) * in[1]
                                                    + i1) * in[2] + i2];
                                            double wv = w[(((m * cg + c) * k[0] + k0) * k[1] + k1) * k[2] + k2];
                                            s += xv * wv;
                                            mag += Math.abs(xv * wv);
                                        }
                                    }
                                }
                            }
                            double b = bias == null ? 0 : bias[m];
                            y[yi] = act.apply((float) (s + b));
                            scale[yi] = (float) (mag + Math.abs(b) + 1e-3);
                        }
                    }
                }
            }
        }
        return new float[][] {y, scale};
    }

    private static int pos(ConvGeometry g, int axis, int o, int t) {
        return o * g.stride()[axis] - g.padBegin()[axis] + t * g.dilation()[axis];
    }

    /** {@code [values, scale]} of a transposed convolution (ONNX ConvTranspose); weights {@code [C, M/g, k...]}. */
    static float[][] transposed(ConvGeometry g, float[] x, float[] w, float[] bias) {
        int[] in = g.in();
        int[] out = g.out();
        int[] k = g.kernel();
        int cg = g.inPerGroup();
        int mg = g.outPerGroup();
        double[] y = new double[g.batch() * g.outChannels() * g.outPlane()];
        double[] mag = new double[y.length];
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int grp = c / cg;
                for (int i0 = 0; i0 < in[0]; i0++) {
                    for (int i1 = 0; i1 < in[1]; i1++) {
                        for (int i2 = 0; i2 < in[2]; i2++) {
                            double xv = x[(((n * g.inChannels() + c) * in[0] + i0) * in[1] + i1) * in[2] + i2];
                            for (int mm = 0; mm < mg; mm++) {
                                for (int k0 = 0; k0 < k[0]; k0++) {
                                    for (int k1 = 0; k1 < k[1]; k1++) {
                                        for (int k2 = 0; k2 < k[2]; k2++) {
                                            int o0 = pos(g, 0, i0, k0);
                                            int o1 = pos(g, 1, i1, k1);
                                            int o2 = pos(g, 2, i2, k2);
                                            if (o0 < 0 || o0 >= out[0] || o1 < 0 || o1 >= out[1] || o2 < 0
                                                    || o2 >= out[2]) {
                                                continue;
                                            }
                                            double wv = w[(((c * mg + mm) * k[0] + k0) * k[1] + k1) * k[2] + k2];
                                            int yi = (((n * g.outChannels() + grp * mg + mm) * out[0] + o0) * out[1]
                                                    + o1) * out[2] + o2;
                                            y[yi] += xv * wv;
                                            mag[yi] += Math.abs(xv * wv);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] yf = new float[y.length];
        float[] sf = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            double b = bias == null ? 0 : bias[(i / g.outPlane()) % g.outChannels()];
            yf[i] = (float) (y[i] + b);
            sf[i] = (float) (mag[i] + Math.abs(b) + 1e-3);
        }
        return new float[][] {yf, sf};
    }
}
