package dev.nnzip.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnzip.format.NnzFile;
import dev.nnzip.format.NnzTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnzip inspect OUT.nnz [--json]}: per tensor codec, bound, bits per weight, ratio and measured max error. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "List the tensors of a .nnz and how each is stored.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.nnz")
    Path model;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (NnzFile f = NnzFile.open(model)) {
            long raw = 0;
            long stored = 0;
            for (NnzTensor t : f.tensors().values()) {
                raw += t.rawBytes();
                stored += t.storedBytes();
            }
            if (json) {
                ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode root = m.createObjectNode();
                root.put("file", model.toString());
                root.put("file_bytes", f.fileBytes());
                root.put("weight_raw_bytes", raw);
                root.put("weight_stored_bytes", stored);
                ArrayNode rows = root.putArray("tensors");
                for (NnzTensor t : f.tensors().values()) {
                    ObjectNode r = rows.addObject();
                    r.put("name", t.name());
                    r.put("dtype", t.dtype().name());
                    ArrayNode shape = r.putArray("shape");
                    Arrays.stream(t.shape()).forEach(shape::add);
                    r.put("codec", t.codec());
                    r.put("codec_spec", spec(t));
                    r.put("error_bound", t.errorBound());
                    r.put("requested_bound", t.boundValue());
                    r.put("requested_bound_kind", t.boundKind() == 0 ? "absolute" : "relative");
                    r.put("raw_bytes", t.rawBytes());
                    r.put("stored_bytes", t.storedBytes());
                    r.put("bits_per_weight", bitsPerWeight(t));
                    r.put("ratio", ratio(t));
                    r.put("max_abs_error", t.maxError());
                    r.put("blocks", t.blocks().size());
                }
                System.out.println(m.writeValueAsString(root));
                return 0;
            }
            System.out.printf("%s: %s, %d tensors, weights %s -> %s (%.2fx)%n", model.getFileName(),
                    Format.bytes(f.fileBytes()), f.tensors().size(), Format.bytes(raw), Format.bytes(stored),
                    stored == 0 ? 0 : (double) raw / stored);
            System.out.printf("%-40s %-9s %-18s %11s %7s %8s %11s %6s%n", "tensor", "codec", "shape", "bound",
                    "bits/w", "ratio", "max |w-w'|", "blocks");
            for (NnzTensor t : f.tensors().values()) {
                System.out.printf("%-40s %-9s %-18s %11.3g %7.2f %7.2fx %11.3g %6d%n",
                        Format.abbreviate(t.name(), 40), spec(t), Arrays.toString(t.shape()),
                        t.errorBound(), bitsPerWeight(t), ratio(t), t.maxError(), t.blocks().size());
            }
        }
        return 0;
    }

    /** The codec with the settings it recorded ({@code int4:block=64}); the bare name for codecs without settings. */
    static String spec(NnzTensor t) {
        if (!dev.nnzip.codec.Codecs.names().contains(t.codec())) {
            return t.codec(); // "raw", or a codec this build does not know
        }
        return dev.nnzip.codec.Codecs.byName(t.codec()).describe(t.params());
    }

    static double bitsPerWeight(NnzTensor t) {
        long n = 1;
        for (int d : t.shape()) {
            n *= d;
        }
        return n == 0 ? 0 : 8.0 * t.storedBytes() / n;
    }

    static double ratio(NnzTensor t) {
        return t.storedBytes() == 0 ? 0 : (double) t.rawBytes() / t.storedBytes();
    }
}
