package dev.nnzip.codec;

import dev.nnzip.codec.half.Bf16Codec;
import dev.nnzip.codec.half.Fp16Codec;
import dev.nnzip.codec.int4.Int4Codec;
import dev.nnzip.codec.int8.Int8Codec;
import dev.nnzip.codec.kmeans.KMeansCodec;
import dev.nnzip.codec.lossless.LosslessCodec;
import dev.nnzip.codec.prune.PruneCodec;
import dev.nnzip.codec.smartdnn.SmartDnnCodec;
import dev.nnzip.codec.sz.SzCodec;
import dev.nnzip.codec.uniform.UniformCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in codecs by registry name and by container id. Codecs are stateless and shared. */
public final class Codecs {
    private static final Map<String, WeightCodec> BY_NAME = new LinkedHashMap<>();

    static {
        for (WeightCodec c : List.of(new SmartDnnCodec(), new SzCodec(), new UniformCodec(), new LosslessCodec(),
                new Int8Codec(), new Int4Codec(), new Fp16Codec(), new Bf16Codec(), new KMeansCodec(),
                new PruneCodec())) {
            BY_NAME.put(c.name(), c);
        }
    }

    private Codecs() {
    }

    /** Registry names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static List<WeightCodec> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** @throws IllegalArgumentException naming the valid codecs if {@code name} is unknown */
    public static WeightCodec byName(String name) {
        WeightCodec c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown codec '" + name + "', expected one of " + names());
        }
        return c;
    }

    /**
     * The codec a {@link CodecSpec} names, configured with its settings; a chain is composed back to front
     * ({@code prune:sparsity=0.5+smartdnn} = prune, then smartdnn for the values prune keeps). A spec with a single
     * stage and no settings returns the shared registry instance.
     *
     * @throws IllegalArgumentException for an unknown codec (listing the valid ones), an unknown setting (listing the
     *                                  codec's valid keys), a value out of range, or a chain a codec cannot head
     */
    public static WeightCodec configure(String spec) {
        List<CodecSpec.Stage> stages = CodecSpec.parse(spec).stages();
        WeightCodec codec = null;
        for (int i = stages.size() - 1; i >= 0; i--) {
            CodecSpec.Stage stage = stages.get(i);
            WeightCodec c = byName(stage.codec()).configure(stage.settings());
            codec = codec == null ? c : c.then(codec);
        }
        return codec;
    }

    /** @throws MalformedInputException if no codec has this id (a container naming an unknown codec is corrupt or newer) */
    public static WeightCodec byId(int id) {
        for (WeightCodec c : BY_NAME.values()) {
            if (c.id() == id) {
                return c;
            }
        }
        throw new MalformedInputException(-1, "unknown codec id " + id + "; known: " + BY_NAME.values().stream()
                .map(c -> c.id() + "=" + c.name()).toList());
    }

    /**
     * The fast decoder for {@code tensor}, looked up by the codec name it records.
     *
     * @throws MalformedInputException if no codec has that name (the container is corrupt or from a newer nnzip)
     */
    public static TensorDecoder decoder(EncodedTensor tensor) {
        WeightCodec c = BY_NAME.get(tensor.codec());
        if (c == null) {
            throw new MalformedInputException(-1, "tensor written by unknown codec '" + tensor.codec()
                    + "', expected one of " + names());
        }
        return c.decoder(tensor);
    }
}
