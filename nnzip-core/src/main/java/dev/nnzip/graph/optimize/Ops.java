package dev.nnzip.graph.optimize;

import dev.nnzip.graph.Attribute;
import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Small predicates and builders over nodes shared by the passes. */
final class Ops {
    private Ops() {
    }

    /** True for a default-domain (ONNX) node of type {@code opType}. */
    static boolean is(Node n, String opType) {
        return n.domain().isEmpty() && n.opType().equals(opType);
    }

    static boolean isPrivate(Node n, String opType) {
        return n.domain().equals(dev.nnzip.ops.nn.ActivationAttributes.DOMAIN) && n.opType().equals(opType);
    }

    /** {@code base}'s attributes without {@code drop}, plus {@code extra}. */
    static Attributes with(Attributes base, Set<String> drop, Collection<Attribute> extra) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : base.all()) {
            if (!drop.contains(a.name())) {
                out.add(a);
            }
        }
        out.addAll(extra);
        return new Attributes(out);
    }
}
