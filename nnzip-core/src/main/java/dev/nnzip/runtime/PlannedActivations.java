package dev.nnzip.runtime;

import java.util.OptionalLong;

/**
 * The activation bytes a run will hold at its peak, known before running (issue 4), counted as
 * {@link Session#peakActivationBytes()} counts them; or, when some shape depends on data, why not.
 *
 * @param peakBytes the planned peak, empty when unknown
 * @param peakAt the node after whose outputs the peak is reached ("" when no activation is ever live or unknown)
 * @param unknownReason why the peak is unknown, naming the node ("" when known)
 */
public record PlannedActivations(OptionalLong peakBytes, String peakAt, String unknownReason) {
    static PlannedActivations known(long bytes, String peakAt) {
        return new PlannedActivations(OptionalLong.of(bytes), peakAt, "");
    }

    static PlannedActivations unknown(String reason) {
        return new PlannedActivations(OptionalLong.empty(), "", reason);
    }

    public boolean isKnown() {
        return peakBytes.isPresent();
    }

    @Override
    public String toString() {
        return isKnown() ? peakBytes.getAsLong() + " B (after " + peakAt + ")" : "unknown: " + unknownReason;
    }
}
