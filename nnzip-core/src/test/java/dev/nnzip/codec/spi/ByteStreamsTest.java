package dev.nnzip.codec.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.nnzip.codec.MalformedInputException;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ByteStreamsTest {
    @Test
    void compressibleDataIsZstdAndNoiseIsStored() {
        byte[] zeros = new byte[10_000];
        PayloadWriter w = new PayloadWriter();
        ByteStreams.write(w, zeros, 0, zeros.length);
        assertThat(w.size()).isLessThan(100);
        byte[] noise = new byte[10_000];
        new SplittableRandom(1).nextBytes(noise);
        PayloadWriter w2 = new PayloadWriter();
        ByteStreams.write(w2, noise, 0, noise.length);
        assertThat(w2.size()).isEqualTo(noise.length + 3); // varint(10000) = 2 bytes + mode byte, then stored
        for (byte[] data : new byte[][] {zeros, noise}) {
            PayloadWriter out = new PayloadWriter();
            ByteStreams.write(out, data, 0, data.length);
            byte[] dest = new byte[data.length + DecodeScratch.PADDING];
            int n = ByteStreams.read(new PayloadReader(out.toByteArray()), data.length, dest, "s");
            assertThat(Arrays.copyOf(dest, n)).isEqualTo(data);
        }
    }

    @Test
    void rawLengthAboveTheCallersLimitIsMalformed() {
        PayloadWriter w = new PayloadWriter();
        ByteStreams.write(w, new byte[100], 0, 100);
        assertThatThrownBy(() -> ByteStreams.read(new PayloadReader(w.toByteArray()), 99, new byte[200], "s"))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("at most 99");
    }

    /** Corrupt Zstd frames (libzstd's errors) must surface as our MalformedInputException only. */
    @Property(tries = 1500)
    void corruptZstdFramesAreMalformed(@ForAll @IntRange(min = 0, max = 3) int pattern, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] data = new byte[2000 + r.nextInt(3000)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) switch (pattern) {
                case 0 -> i / 100;
                case 1 -> r.nextInt(4);
                case 2 -> r.nextDouble() < 0.9 ? 0 : r.nextInt(256);
                default -> (i * 7) % 13;
            };
        }
        PayloadWriter w = new PayloadWriter();
        ByteStreams.write(w, data, 0, data.length);
        byte[] payload = w.toByteArray();
        for (int k = 0, flips = 1 + r.nextInt(4); k < flips; k++) {
            // Damage past the stream header (first 4 bytes), inside the Zstd frame.
            int at = 4 + r.nextInt(payload.length - 4);
            payload[at] ^= (byte) (1 + r.nextInt(255));
        }
        if (r.nextBoolean()) {
            payload = Arrays.copyOf(payload, 4 + r.nextInt(payload.length - 4));
        }
        byte[] dest = new byte[data.length + DecodeScratch.PADDING];
        try {
            ByteStreams.read(new PayloadReader(payload), data.length, dest, "s");
        } catch (MalformedInputException expected) {
            // fine
        } catch (Throwable other) {
            fail("corrupt Zstd frame gave " + other, other);
        }
    }

    @Test
    void varintsAreBoundedAndCanonicalEnough() {
        assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 1}).varint(Integer.MAX_VALUE, "v")).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0x1F}).varint(Integer.MAX_VALUE, "v")).isInstanceOf(MalformedInputException.class);
        // 2^31 fits 32 bits but not a non-negative int
        assertThatThrownBy(() -> new PayloadReader(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x08}).varint(Integer.MAX_VALUE, "v")).isInstanceOf(MalformedInputException.class);
        PayloadWriter w = new PayloadWriter();
        w.varint(Integer.MAX_VALUE).svarint(-5).svarint(1 << 30).f32(-0.0f).f64(Math.PI);
        PayloadReader in = new PayloadReader(w.toByteArray());
        assertThat(in.varint(Integer.MAX_VALUE, "v")).isEqualTo(Integer.MAX_VALUE);
        assertThat(in.svarint(10, "s")).isEqualTo(-5);
        assertThat(in.svarint(1 << 30, "s")).isEqualTo(1 << 30);
        assertThat(Float.floatToRawIntBits(in.f32("f"))).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(in.f64("d")).isEqualTo(Math.PI);
        in.expectEnd("all");
        assertThatThrownBy(() -> in.u8("past end")).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("truncated");
    }
}
