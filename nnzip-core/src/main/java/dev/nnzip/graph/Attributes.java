package dev.nnzip.graph;

import dev.nnzip.tensor.Tensor;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's attributes with typed getters that apply the ONNX spec's defaults. A present attribute of the wrong type is
 * an error naming the attribute, the type found and the type expected.
 */
public final class Attributes {
    private final Map<String, Attribute> byName;

    public Attributes(Collection<Attribute> attributes) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            m.put(a.name(), a);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    public static Attributes empty() {
        return new Attributes(java.util.List.of());
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Collection<Attribute> all() {
        return byName.values();
    }

    public Attribute get(String name) {
        return byName.get(name);
    }

    public long getInt(String name, long defaultValue) {
        Attribute a = byName.get(name);
        return a == null ? defaultValue : ((Number) typed(a, Attribute.Type.INT)).longValue();
    }

    public float getFloat(String name, float defaultValue) {
        Attribute a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a.type() == Attribute.Type.INT) { // some exporters write an int where a float is meant
            return ((Number) a.value()).floatValue();
        }
        return ((Number) typed(a, Attribute.Type.FLOAT)).floatValue();
    }

    public String getString(String name, String defaultValue) {
        Attribute a = byName.get(name);
        return a == null ? defaultValue : (String) typed(a, Attribute.Type.STRING);
    }

    /** The ints, or {@code defaultValue} (may be null) when absent. */
    public long[] getInts(String name, long[] defaultValue) {
        Attribute a = byName.get(name);
        return a == null ? defaultValue : ((long[]) typed(a, Attribute.Type.INTS)).clone();
    }

    public float[] getFloats(String name, float[] defaultValue) {
        Attribute a = byName.get(name);
        return a == null ? defaultValue : ((float[]) typed(a, Attribute.Type.FLOATS)).clone();
    }

    public String[] getStrings(String name, String[] defaultValue) {
        Attribute a = byName.get(name);
        return a == null ? defaultValue : ((String[]) typed(a, Attribute.Type.STRINGS)).clone();
    }

    public Tensor getTensor(String name) {
        Attribute a = byName.get(name);
        return a == null ? null : (Tensor) typed(a, Attribute.Type.TENSOR);
    }

    public Graph getGraph(String name) {
        Attribute a = byName.get(name);
        return a == null ? null : (Graph) typed(a, Attribute.Type.GRAPH);
    }

    private static Object typed(Attribute a, Attribute.Type expected) {
        if (a.type() != expected) {
            throw new IllegalArgumentException("attribute '" + a.name() + "' is of type " + a.type()
                    + ", expected " + expected);
        }
        return a.value();
    }

    @Override
    public String toString() {
        return byName.values().toString();
    }
}
