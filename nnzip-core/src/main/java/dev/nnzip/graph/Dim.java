package dev.nnzip.graph;

/** One dimension of a declared shape: a fixed size, a symbolic name ("batch", "sequence"), or unknown. */
public record Dim(long value, String symbol) {
    public static final Dim UNKNOWN = new Dim(-1, null);

    public static Dim of(long value) {
        return new Dim(value, null);
    }

    public static Dim symbolic(String symbol) {
        return new Dim(-1, symbol);
    }

    public boolean isFixed() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return isFixed() ? Long.toString(value) : symbol != null && !symbol.isEmpty() ? symbol : "?";
    }
}
