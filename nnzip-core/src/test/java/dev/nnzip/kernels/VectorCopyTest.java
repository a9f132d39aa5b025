package dev.nnzip.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link VectorCopy#rows}: every row lands, the zero gaps between rows of a padded plane stay zero, and nothing past
 * the last row's end is touched, whatever the row width (narrow rows take half-width vectors, wide ones whole vectors
 * and a partial last one).
 */
class VectorCopyTest {
    @Property(tries = 400)
    void copiesRowsAndLeavesGapsAndTheRestAlone(@ForAll @IntRange(min = 1, max = 70) int n,
                                                @ForAll @IntRange(min = 0, max = 5) int gap,
                                                @ForAll @IntRange(min = 1, max = 9) int rows,
                                                @ForAll @IntRange(min = 0, max = 3) int srcGap,
                                                @ForAll @IntRange(min = 0, max = 20) int d0) {
        int srcStride = n + srcGap;
        int dstStride = n + gap;
        float[] src = new float[rows * srcStride + 3];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        int end = d0 + (rows - 1) * dstStride + n;
        float[] dst = new float[end + 40];
        Arrays.fill(dst, Float.NaN); // before the first row and past the last: must stay untouched
        Arrays.fill(dst, d0, end, 0f); // the rows and the zero gaps between them
        VectorCopy.rows(src, 1, srcStride, dst, d0, dstStride, rows, n);
        for (int i = 0; i < dst.length; i++) {
            int k = i - d0;
            float expected;
            if (k < 0 || i >= end) {
                expected = Float.NaN;
            } else if (k % dstStride < n) {
                expected = src[1 + (k / dstStride) * srcStride + k % dstStride];
            } else {
                expected = 0f; // a gap between rows
            }
            assertThat(Float.floatToRawIntBits(dst[i])).as("dst[%d] (n %d, stride %d, rows %d)", i, n, dstStride, rows)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }
}
