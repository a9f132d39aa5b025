package dev.nnzip.kernels;

import jdk.incubator.vector.FloatVector;

/** Vector API details for {@link KernelSupport#describe()}, kept apart so only this class links the module. */
final class VectorInfo {
    private VectorInfo() {
    }

    static String describe() {
        var s = FloatVector.SPECIES_PREFERRED;
        return "Vector API kernels (" + s.vectorBitSize() + "-bit, " + s.length()
                + " floats per vector, sgemm micro-kernel " + VectorSgemm.MR + "x" + VectorSgemm.NR + ")";
    }
}
