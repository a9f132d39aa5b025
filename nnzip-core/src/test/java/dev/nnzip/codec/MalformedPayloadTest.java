package dev.nnzip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.nnzip.codec.TestTensors.Kind;
import dev.nnzip.codec.spi.PayloadWriter;
import dev.nnzip.kernels.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Corrupt payloads: every decoder must either decode (some corruptions, e.g. a flipped mantissa bit of a raw value, leave a
 * valid payload) or throw {@link MalformedInputException}; never another exception, never run away.
 */
class MalformedPayloadTest {
    private static final int N = 2500;
    private static final int BLOCK = 1000;
    private static final Map<String, EncodedTensor> ENCODED = new ConcurrentHashMap<>();

    /** A small encoded tensor per (codec, kind, bound), cached: encoding is the slow part and is not under test. */
    private static EncodedTensor encoded(String codec, Kind kind, double rel) {
        return ENCODED.computeIfAbsent(codec + kind + rel, k -> {
            float[] values = TestTensors.make(kind, N, 7);
            return Codecs.configure(codec).encode("t", values, new int[] {25, 100}, ErrorBound.relative(rel), BLOCK);
        });
    }

    /** Every codec with its defaults, plus the survey codecs' other settings and chains. */
    @Provide
    Arbitrary<String> codecs() {
        List<String> specs = new ArrayList<>(Codecs.names());
        specs.addAll(List.of("smartdnn:rowsteps=true", "int8:asym=true", "int4:block=64", "kmeans:bits=2", "prune:sparsity=0.5+smartdnn",
                "prune:threshold=0.01+int8", "prune:sparsity=0.9+kmeans"));
        return Arbitraries.of(specs);
    }

    @Provide
    Arbitrary<Kind> kinds() {
        return Arbitraries.of(Kind.GAUSSIAN, Kind.CHANNEL_SCALED, Kind.OUTLIER, Kind.SPARSE, Kind.ZEROS);
    }

    @Provide
    Arbitrary<Double> bounds() {
        return Arbitraries.of(0.0, 1e-4, 1e-2);
    }

    enum Damage { FLIP_BYTES, TRUNCATE, APPEND, SET_BYTE_FF, ZERO_RANGE }

    @Property(tries = 400)
    void corruptBlockPayloadsAreRejectedCleanly(@ForAll("codecs") String codec, @ForAll("kinds") Kind kind,
                                                @ForAll("bounds") double rel, @ForAll Damage damage,
                                                @ForAll @IntRange(min = 0, max = 2) int block, @ForAll long seed) {
        EncodedTensor t = encoded(codec, kind, rel);
        List<EncodedBlock> blocks = new ArrayList<>(t.blocks());
        EncodedBlock victim = blocks.get(block);
        blocks.set(block, new EncodedBlock(victim.valueCount(), damage(victim.payload(), damage, seed)));
        EncodedTensor corrupt = new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(), t.absoluteBound(),
                t.parameters(), blocks);
        assertDecodesOrRejects(corrupt);
    }

    @Property(tries = 300)
    void corruptParametersAreRejectedCleanly(@ForAll("codecs") String codec, @ForAll("kinds") Kind kind,
                                             @ForAll("bounds") double rel, @ForAll Damage damage, @ForAll long seed) {
        EncodedTensor t = encoded(codec, kind, rel);
        EncodedTensor corrupt = new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(), t.absoluteBound(),
                damage(t.parameters(), damage, seed), t.blocks());
        assertDecodesOrRejects(corrupt);
    }

    private static byte[] damage(byte[] payload, Damage damage, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] p = payload.clone();
        switch (damage) {
            case FLIP_BYTES -> {
                for (int k = 0, flips = 1 + r.nextInt(3); k < flips && p.length > 0; k++) {
                    p[r.nextInt(p.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case TRUNCATE -> p = java.util.Arrays.copyOf(p, p.length == 0 ? 0 : r.nextInt(p.length));
            case APPEND -> {
                p = java.util.Arrays.copyOf(p, p.length + 1 + r.nextInt(8));
                p[p.length - 1] = (byte) r.nextInt(256);
            }
            case SET_BYTE_FF -> {
                if (p.length > 0) {
                    p[r.nextInt(p.length)] = (byte) 0xFF;
                }
            }
            case ZERO_RANGE -> {
                if (p.length > 0) {
                    int from = r.nextInt(p.length);
                    java.util.Arrays.fill(p, from, Math.min(p.length, from + 1 + r.nextInt(16)), (byte) 0);
                }
            }
        }
        return p;
    }

    private static void assertDecodesOrRejects(EncodedTensor corrupt) {
        for (DecoderKind kind : DecoderKind.values()) {
            try {
                float[] out = Codecs.byName(corrupt.codec()).decoder(corrupt, kind).decodeAll(Parallel.sequential());
                assertThat(out).hasSize(corrupt.valueCount());
            } catch (MalformedInputException expected) {
                assertThat(expected.getMessage()).startsWith("malformed codec payload");
            } catch (Throwable other) {
                fail(kind + " decoder of " + corrupt.codec() + " threw " + other + " instead of MalformedInputException",
                        other);
            }
        }
    }

    @Test
    @Timeout(10)
    void absurdLengthsAreRejectedWithoutAllocating() {
        for (String codec : Codecs.names()) {
            EncodedTensor t = encoded(codec, Kind.GAUSSIAN, 1e-3);
            // A block that starts with the largest varints there are: every length field claims ~2^31 bytes.
            PayloadWriter w = new PayloadWriter();
            for (int i = 0; i < 8; i++) {
                w.varint(Integer.MAX_VALUE);
            }
            List<EncodedBlock> blocks = new ArrayList<>(t.blocks());
            blocks.set(0, new EncodedBlock(BLOCK, w.toByteArray()));
            EncodedTensor corrupt = new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(),
                    t.absoluteBound(), t.parameters(), blocks);
            for (DecoderKind kind : DecoderKind.values()) {
                assertThatThrownBy(() -> Codecs.byName(codec).decoder(corrupt, kind).decodeBlock(0, new float[BLOCK], 0))
                        .as(codec + " " + kind).isInstanceOf(MalformedInputException.class);
            }
        }
    }

    @Test
    void emptyPayloadsAreRejected() {
        for (String codec : Codecs.names()) {
            EncodedTensor t = encoded(codec, Kind.GAUSSIAN, 1e-3);
            List<EncodedBlock> blocks = new ArrayList<>(t.blocks());
            blocks.set(1, new EncodedBlock(BLOCK, new byte[0]));
            EncodedTensor corrupt = new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(),
                    t.absoluteBound(), t.parameters(), blocks);
            assertThatThrownBy(() -> Codecs.byName(codec).decoder(corrupt).decodeBlock(1, new float[BLOCK], 0))
                    .as(codec).isInstanceOf(MalformedInputException.class);
            EncodedTensor noParams = new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(),
                    t.absoluteBound(), new byte[0], t.blocks());
            assertThatThrownBy(() -> Codecs.byName(codec).decoder(noParams)).as(codec + " without parameters")
                    .isInstanceOf(MalformedInputException.class);
        }
    }

    @Test
    void inconsistentBlockCountsAreMalformed() {
        EncodedTensor t = encoded("uniform", Kind.GAUSSIAN, 1e-3);
        assertThatThrownBy(() -> new EncodedTensor(t.codec(), t.shape(), t.blockValues(), t.bound(), t.absoluteBound(),
                t.parameters(), t.blocks().subList(0, 2))).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("needs 3 blocks");
        assertThatThrownBy(() -> new EncodedTensor(t.codec(), new int[] {-1}, t.blockValues(), t.bound(), 0,
                t.parameters(), t.blocks())).isInstanceOf(MalformedInputException.class);
    }
}
