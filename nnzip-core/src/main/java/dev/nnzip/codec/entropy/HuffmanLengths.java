package dev.nnzip.codec.entropy;

import java.util.Arrays;

/**
 * Length-limited minimum-redundancy (Huffman) code lengths from symbol frequencies.
 *
 * <p>Lengths come from Moffat and Katajainen's in-place algorithm ("In-place calculation of minimum-redundancy codes",
 * WADS 1995), which needs only the frequencies sorted. Codes longer than the limit are then folded to the limit and the
 * Kraft sum repaired by lengthening the deepest shorter codes, as miniz/zlib-style encoders do; symbols are re-assigned
 * lengths in frequency order, so the most frequent keep the shortest codes. For weight histograms (smooth, unimodal) the
 * loss against unlimited Huffman is far below 0.01 bit per symbol.
 */
public final class HuffmanLengths {
    private HuffmanLengths() {
    }

    /**
     * Code lengths for symbols {@code 0 .. freq.length-1}: 0 for symbols that never occur, otherwise {@code 1..maxLength}.
     * A single used symbol gets length 1 (a one-bit code, so the stream is well defined).
     */
    public static byte[] compute(long[] freq, int maxLength) {
        int alphabet = freq.length;
        int used = 0;
        for (long f : freq) {
            if (f < 0) {
                throw new IllegalArgumentException("negative frequency");
            }
            if (f > 0) {
                used++;
            }
        }
        if (used > (1 << maxLength)) {
            throw new IllegalArgumentException(used + " symbols do not fit codes of at most " + maxLength + " bits");
        }
        byte[] lengths = new byte[alphabet];
        if (used == 0) {
            return lengths;
        }
        // Sort used symbols by ascending frequency (ties: ascending symbol, for a deterministic code). Packing
        // (frequency, symbol) in one long sorts both at once; frequencies < 2^40 leave room for 2^23 symbols.
        long[] keyed = new long[used];
        int k = 0;
        for (int s = 0; s < alphabet; s++) {
            if (freq[s] > 0) {
                keyed[k++] = Math.min(freq[s], (1L << 40) - 1) << 23 | s;
            }
        }
        Arrays.sort(keyed);
        int[] symbols = new int[used];
        long[] a = new long[used];
        for (int i = 0; i < used; i++) {
            symbols[i] = (int) (keyed[i] & ((1 << 23) - 1));
            a[i] = keyed[i] >>> 23;
        }
        if (used == 1) {
            lengths[symbols[0]] = 1;
            return lengths;
        }
        minimumRedundancy(a);
        int[] countPerLength = new int[Math.max(maxLength, 64) + 1];
        for (long depth : a) {
            countPerLength[(int) Math.min(depth, countPerLength.length - 1)]++;
        }
        limitLengths(countPerLength, maxLength);
        // a[] is ordered least frequent first; hand out the longest lengths to the least frequent symbols.
        int i = 0;
        for (int len = maxLength; len >= 1; len--) {
            for (int c = 0; c < countPerLength[len]; c++) {
                lengths[symbols[i++]] = (byte) len;
            }
        }
        return lengths;
    }

    /** Moffat–Katajainen: {@code a} sorted ascending by weight in, code length of each position out. */
    private static void minimumRedundancy(long[] a) {
        int n = a.length;
        a[0] += a[1];
        int root = 0;
        int leaf = 2;
        for (int next = 1; next < n - 1; next++) {
            // first child: the smaller of the next internal node and the next leaf
            if (leaf >= n || a[root] < a[leaf]) {
                a[next] = a[root];
                a[root++] = next;
            } else {
                a[next] = a[leaf++];
            }
            // second child
            if (leaf >= n || (root < next && a[root] < a[leaf])) {
                a[next] += a[root];
                a[root++] = next;
            } else {
                a[next] += a[leaf++];
            }
        }
        a[n - 2] = 0;
        for (int next = n - 3; next >= 0; next--) {
            a[next] = a[(int) a[next]] + 1;
        }
        int avbl = 1;
        int used = 0;
        int depth = 0;
        int root2 = n - 2;
        int next = n - 1;
        while (avbl > 0) {
            while (root2 >= 0 && a[root2] == depth) {
                used++;
                root2--;
            }
            while (avbl > used) {
                a[next--] = depth;
                avbl--;
            }
            avbl = 2 * used;
            depth++;
            used = 0;
        }
    }

    /** Folds counts of lengths above {@code maxLength} into it and restores Kraft equality (sum of 2^-len = 1). */
    private static void limitLengths(int[] countPerLength, int maxLength) {
        for (int len = maxLength + 1; len < countPerLength.length; len++) {
            countPerLength[maxLength] += countPerLength[len];
            countPerLength[len] = 0;
        }
        long kraft = 0; // in units of 2^-maxLength
        for (int len = 1; len <= maxLength; len++) {
            kraft += (long) countPerLength[len] << (maxLength - len);
        }
        long full = 1L << maxLength;
        while (kraft > full) {
            // Move one code from the limit up into a split of the deepest shorter code: net Kraft change -1 unit.
            countPerLength[maxLength]--;
            for (int len = maxLength - 1; len > 0; len--) {
                if (countPerLength[len] != 0) {
                    countPerLength[len]--;
                    countPerLength[len + 1] += 2;
                    break;
                }
            }
            kraft--;
        }
    }
}
