package dev.nnzip.kernels.blocked;

import jdk.incubator.vector.FloatVector;

/** The preferred species' lane count, kept apart so only this class links the Vector API for it. */
final class VectorLanes {
    private VectorLanes() {
    }

    static int lanes() {
        return FloatVector.SPECIES_PREFERRED.length();
    }
}
