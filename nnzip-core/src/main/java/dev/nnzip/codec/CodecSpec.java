package dev.nnzip.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A codec with its settings, or a chain of them, as written on the command line and recorded in a .nnz:
 *
 * <pre>
 *   spec     = stage *("+" stage)
 *   stage    = name [":" setting *("," setting)]
 *   setting  = key "=" value
 * </pre>
 *
 * e.g. {@code smartdnn}, {@code int8:asym=true}, {@code int4:block=64}, {@code kmeans:bits=5},
 * {@code prune:sparsity=0.5+smartdnn}. A chain means "the first stage, with the values it keeps encoded by the rest": only a
 * codec that {@link WeightCodec#then composes} accepts a successor. This class only splits the text; whether a name
 * exists and which keys it takes is checked by {@link Codecs#configure(String)}.
 */
public record CodecSpec(List<Stage> stages) {
    /** One codec of the chain. */
    public record Stage(String codec, CodecSettings settings) {
        @Override
        public String toString() {
            return settings.isEmpty() ? codec : codec + ":" + settings;
        }
    }

    public CodecSpec {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("empty codec spec");
        }
    }

    /**
     * Splits {@code text}.
     *
     * @throws IllegalArgumentException naming the malformed part and the expected syntax
     */
    public static CodecSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty codec spec; expected NAME[:KEY=VALUE,...][+NAME...], e.g. "
                    + "'int4:block=64' or 'prune:sparsity=0.5+smartdnn'");
        }
        List<Stage> stages = new ArrayList<>();
        for (String part : text.trim().split("\\+", -1)) {
            stages.add(parseStage(part.trim(), text));
        }
        return new CodecSpec(stages);
    }

    private static Stage parseStage(String part, String whole) {
        int colon = part.indexOf(':');
        String name = (colon < 0 ? part : part.substring(0, colon)).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("codec spec '" + whole + "' has a stage without a codec name; expected "
                    + "NAME[:KEY=VALUE,...][+NAME...]");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : part.substring(colon + 1).split(",", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? "" : pair.substring(0, eq).trim();
                String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
                if (key.isEmpty() || value.isEmpty()) {
                    throw new IllegalArgumentException("codec spec '" + whole + "': setting '" + pair.trim()
                            + "' of codec '" + name + "' is not KEY=VALUE");
                }
                if (settings.put(key, value) != null) {
                    throw new IllegalArgumentException("codec spec '" + whole + "': setting '" + key + "' given twice");
                }
            }
        }
        return new Stage(name, CodecSettings.of(settings));
    }

    /** The canonical text, which {@link #parse} reads back to an equal spec. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("+");
        stages.forEach(s -> j.add(s.toString()));
        return j.toString();
    }
}
