package dev.nnzip.runtime.shape;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Operator type → shape rule, keyed like {@link dev.nnzip.ops.OpRegistry} ("Conv", "dev.nnzip.FusedConv"). The
 * standard set covers every operator the standard registry implements; each family of rules registers its own.
 */
public final class ShapeRules {
    private static final ShapeRules STANDARD = createStandard();

    private final Map<String, ShapeRule> rules = new TreeMap<>();

    public static ShapeRules standard() {
        return STANDARD;
    }

    private static ShapeRules createStandard() {
        ShapeRules r = new ShapeRules();
        ElementwiseRules.register(r);
        NnRules.register(r);
        ReduceRules.register(r);
        LayoutRules.register(r);
        IndexingRules.register(r);
        ResizeRule.register(r);
        BlockedRules.register(r);
        return r;
    }

    public ShapeRules register(String opType, ShapeRule rule) {
        return register("", opType, rule);
    }

    public ShapeRules register(String domain, String opType, ShapeRule rule) {
        if (rules.putIfAbsent(key(domain, opType), rule) != null) {
            throw new IllegalStateException("shape rule for " + key(domain, opType) + " registered twice");
        }
        return this;
    }

    private static String key(String domain, String opType) {
        return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "." + opType;
    }

    public Optional<ShapeRule> rule(String domain, String opType) {
        return Optional.ofNullable(rules.get(key(domain, opType)));
    }

    /** The operators with a rule, in the registry's naming, sorted. */
    public Set<String> operators() {
        return new TreeSet<>(rules.keySet());
    }
}
