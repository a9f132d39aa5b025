package dev.nnzip.codec.smartdnn;

/**
 * The result of the remapping step: the binary quantizer's scales and the entropy-coding contexts.
 *
 * <p>Values {@code [g·groupLength, (g+1)·groupLength)} form group {@code g} (the whole tensor, or one row of the leading
 * dimension: an output channel of a Conv/Gemm weight). Positive weights of group {@code g} are mapped to
 * {@code +alphaPos[g]}, negative ones to {@code −alphaNeg[g]}, and the residual is bucket-encoded. Each group belongs to one
 * of {@code classCount} scale classes; the bucket ids of each class (and, with {@code perSignCodes}, of each sign within
 * it) get their own Huffman code, so rows of small weights are not coded with the long codes that rows of large weights
 * need.
 *
 * @param statistic    how the scales were computed (recorded for reports; the decoder needs only the numbers)
 * @param groupLength  values per group
 * @param alphaPos     α⁺ per group, finite and {@code >= 0}
 * @param alphaNeg     α⁻ per group, finite and {@code >= 0}
 * @param classCount   number of scale classes, 1..{@link #MAX_CLASSES}
 * @param groupClass   class of each group, {@code < classCount}
 * @param perSignCodes true: the ids of positive and negative weights of a class get separate codes
 * @param elideZeroSigns true (only with all scales 0 and folded codes): no sign bit is stored for a value whose
 *                       reconstruction is ±0 or that is escaped, since its sign cannot matter
 */
record Remapping(Statistic statistic, int groupLength, float[] alphaPos, float[] alphaNeg, int classCount,
                 byte[] groupClass, boolean perSignCodes, boolean elideZeroSigns) {
    static final int MAX_CLASSES = 16;

    Remapping {
        if (elideZeroSigns && (perSignCodes || statistic != Statistic.ZERO)) {
            throw new IllegalArgumentException("sign elision needs zero scales and folded codes");
        }
    }

    /** Candidate scale statistics, each per sign over the |w| of a group. */
    enum Statistic {
        /** α = 0: no shift, the ids are sign–magnitude bins of |w|. */
        ZERO,
        /** α = mean |w|: the least-squares binary approximation (XNOR-Net's α, Rastegari et al. 2016), per sign. */
        MEAN,
        /** α = median |w|: centres the residuals so half are above and half below, the L1-optimal binary scale. */
        MEDIAN,
        /** One of the above moved by a fraction of a bucket width: another rounding of the same weights, same bound. */
        SHIFTED
    }

    /**
     * These scales moved up by {@code delta} (≥ 0, so still valid scales): every bucket edge of the grid moves by
     * {@code delta}, and each weight is rounded to its nearest point of the moved grid, still within the bound. Sign
     * elision needs zero scales, so it is given up.
     */
    Remapping shifted(float delta) {
        if (!(delta >= 0) || Float.isInfinite(delta)) {
            throw new IllegalArgumentException("a grid shift must be finite and >= 0, was " + delta);
        }
        if (delta == 0) {
            return this;
        }
        float[] pos = alphaPos.clone();
        float[] neg = alphaNeg.clone();
        for (int g = 0; g < pos.length; g++) {
            pos[g] += delta;
            neg[g] += delta;
        }
        return new Remapping(Statistic.SHIFTED, groupLength, pos, neg, classCount, groupClass, perSignCodes, false);
    }

    int groups() {
        return alphaPos.length;
    }

    /** Number of entropy-coding contexts (one Huffman code and one symbol stream per block each). */
    int contexts() {
        return classCount * (perSignCodes ? 2 : 1);
    }

    int context(int group, boolean negative) {
        return perSignCodes ? 2 * groupClass[group] + (negative ? 1 : 0) : groupClass[group];
    }

    @Override
    public String toString() {
        return statistic + (alphaPos.length == 1 ? " per tensor" : " per " + groupLength + " values") + ", "
                + classCount + " scale class" + (classCount == 1 ? "" : "es") + ", "
                + (perSignCodes ? "per-sign codes" : "folded codes") + (elideZeroSigns ? ", zero signs elided" : "");
    }
}
