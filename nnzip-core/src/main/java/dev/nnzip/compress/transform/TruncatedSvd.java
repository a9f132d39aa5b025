package dev.nnzip.compress.transform;

/**
 * The singular value decomposition of a dense {@code m × n} matrix, {@code W = U Σ Vᵀ}, truncated to the rank that keeps
 * a given share of the energy {@code Σσ²} (the squared Frobenius norm).
 *
 * <p>Computed from the symmetric eigen-decomposition of the Gram matrix of the smaller side ({@code WᵀW} when
 * {@code n <= m}, else {@code WWᵀ}) by the cyclic Jacobi method (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed.,
 * §8.5): {@code WᵀW = V Λ Vᵀ}, {@code σ = √λ}, {@code U = W V Σ⁻¹}. All in double: squaring the condition number costs
 * about half of double's 53 bits, which leaves far more than the float precision of the weights, and the Jacobi method
 * computes even small eigenvalues to high relative accuracy. No dependency for an {@code O(n³)} routine that runs once per
 * layer at compression time.
 */
final class TruncatedSvd {
    private static final int MAX_SWEEPS = 60;

    /** {@code W ≈ left · right} with {@code left = U_r Σ_r} ({@code m × r}) and {@code right = V_rᵀ} ({@code r × n}). */
    record Factors(int rank, double[] singularValues, float[] left, float[] right) {
    }

    private TruncatedSvd() {
    }

    /** The singular values of {@code w} ({@code m × n}, row-major), largest first. */
    static double[] singularValues(float[] w, int m, int n) {
        return decompose(w, m, n).sigma;
    }

    /**
     * The smallest rank whose leading singular values hold at least {@code energy} of {@code Σσ²}. Singular values below
     * {@code σ_max × 1e-7} (float's precision: the weights cannot resolve them) count as zero, so {@code energy = 1}
     * gives the matrix's numerical rank rather than always the full rank.
     */
    static int rankFor(double[] sigma, double energy) {
        double cutoff = sigma.length == 0 ? 0 : sigma[0] * 1e-7;
        double total = 0;
        for (double s : sigma) {
            if (s > cutoff) {
                total += s * s;
            }
        }
        double sum = 0;
        for (int r = 0; r < sigma.length; r++) {
            if (sigma[r] <= cutoff) {
                return r;
            }
            sum += sigma[r] * sigma[r];
            if (sum >= energy * total) {
                return r + 1;
            }
        }
        return sigma.length;
    }

    /** The rank-{@code r} factors of {@code w}. */
    static Factors truncate(float[] w, int m, int n, int r) {
        Decomposition d = decompose(w, m, n);
        float[] left = new float[m * r];
        float[] right = new float[r * n];
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < m; i++) {
                left[i * r + k] = (float) (d.u[i][k] * d.sigma[k]);
            }
            for (int j = 0; j < n; j++) {
                right[k * n + j] = (float) d.v[j][k];
            }
        }
        return new Factors(r, d.sigma, left, right);
    }

    /** Full SVD factors: {@code u} is {@code m × p}, {@code v} is {@code n × p}, {@code p = min(m, n)}. */
    private record Decomposition(double[][] u, double[] sigma, double[][] v) {
    }

    private static Decomposition decompose(float[] w, int m, int n) {
        if (n > m) { // work on the smaller Gram matrix: Wᵀ = V Σ Uᵀ
            float[] t = new float[w.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    t[j * m + i] = w[i * n + j];
                }
            }
            Decomposition d = decompose(t, n, m);
            return new Decomposition(d.v, d.sigma, d.u);
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < n; a++) {
                double wa = w[i * n + a];
                if (wa == 0) {
                    continue;
                }
                for (int b = a; b < n; b++) {
                    gram[a][b] += wa * w[i * n + b];
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < a; b++) {
                gram[a][b] = gram[b][a];
            }
        }
        double[][] vecs = new double[n][n];
        for (int i = 0; i < n; i++) {
            vecs[i][i] = 1;
        }
        jacobiEigen(gram, vecs);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(gram[b][b], gram[a][a]));
        double[] sigma = new double[n];
        double[][] v = new double[n][n];
        for (int k = 0; k < n; k++) {
            sigma[k] = Math.sqrt(Math.max(0, gram[order[k]][order[k]]));
            for (int j = 0; j < n; j++) {
                v[j][k] = vecs[j][order[k]];
            }
        }
        double[][] u = new double[m][n];
        for (int k = 0; k < n; k++) {
            if (sigma[k] == 0) {
                continue; // a null direction: U's column is arbitrary and multiplied by σ = 0 anyway
            }
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += w[i * n + j] * v[j][k];
                }
                u[i][k] = s / sigma[k];
            }
        }
        return new Decomposition(u, sigma, v);
    }

    /**
     * Cyclic Jacobi: rotate away each off-diagonal element in turn until the off-diagonal mass is negligible; on return
     * {@code a}'s diagonal holds the eigenvalues and {@code v}'s columns the eigenvectors (Golub and Van Loan, Alg. 8.5.2
     * with the stable rotation of Alg. 8.5.1).
     */
    private static void jacobiEigen(double[][] a, double[][] v) {
        int n = a.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * diag || off == 0) {
                return;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double tau = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
                    if (tau == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // A ← A J (columns p, q)
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // A ← Jᵀ A (rows p, q)
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
    }
}
