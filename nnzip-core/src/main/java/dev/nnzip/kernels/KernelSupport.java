package dev.nnzip.kernels;

/**
 * Decides, once per JVM, whether kernels take their Vector API fast path or their scalar reference path.
 *
 * <p>The fast path needs the incubator module {@code jdk.incubator.vector} ({@code --add-modules
 * jdk.incubator.vector}). Without it every kernel falls back to its scalar reference instead of failing with {@code
 * NoClassDefFoundError}: no public type of this package mentions the Vector API, so only the package-private {@code
 * Vector*} classes need the module, and they are loaded only when {@link #vectorEnabled()} is true (the Jlama issue #50
 * lesson in STYLE.md).
 *
 * <p>{@code -Dnnzip.kernels.scalar=true} forces the scalar path everywhere. That flag doubles as a test oracle, as the
 * single static flag of llama3.java does: the same model run both ways must agree within float rounding.
 */
public final class KernelSupport {
    /** System property that forces the scalar reference kernels. */
    public static final String SCALAR_PROPERTY = "nnzip.kernels.scalar";

    /**
     * Multiply-adds (or comparable element operations) below which a kernel runs on the calling thread alone: about
     * 20 µs of one core, against the 5-20 µs it costs to wake a parked worker and join it. With the old threshold of
     * 2^14-2^18, batch-1 CNN runs were slower on two threads than on one (MobileNetV2: 1.17 ms vs 0.66 ms).
     */
    public static final int MIN_PARALLEL_WORK = 1 << 20;

    private static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean VECTOR = VECTOR_MODULE && !Boolean.getBoolean(SCALAR_PROPERTY);

    private KernelSupport() {
    }

    /** True when kernels use the Vector API (the module is present and scalar was not forced). */
    public static boolean vectorEnabled() {
        return VECTOR;
    }

    /** A one-line description for logs and benchmark reports. */
    public static String describe() {
        if (!VECTOR_MODULE) {
            return "scalar kernels (jdk.incubator.vector not present; add --add-modules jdk.incubator.vector)";
        }
        if (!VECTOR) {
            return "scalar kernels (forced by -D" + SCALAR_PROPERTY + "=true)";
        }
        return VectorInfo.describe();
    }
}
