package dev.nnzip.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.nnzip.ModelFormatException;
import dev.nnzip.graph.Weight;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * A weight still in its ONNX {@code TensorProto} form, decoded on demand. Inline data aliases the model file's mapping
 * (no copy); external data is a slice of the mapped external file.
 */
final class OnnxWeight implements Weight {
    private final String name;
    private final TensorProto proto;
    private final DType dtype;
    private final int[] shape;
    private final OnnxSource source;

    OnnxWeight(String name, TensorProto proto, OnnxSource source) {
        this.name = name;
        this.proto = proto;
        this.dtype = OnnxTensors.dtypeOf(proto);
        this.shape = OnnxTensors.shapeOf(proto);
        this.source = source;
        if (isExternal()) {
            externalBytes(); // validate location, offset and length at load, not at first use
        } else {
            OnnxTensors.validateInline(proto);
        }
    }

    private boolean isExternal() {
        return proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    private ByteBuffer externalBytes() {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : proto.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset");
                case "length" -> length = parseLong(e.getValue(), "length");
                default -> { } // "checksum" and future keys are informational
            }
        }
        if (location == null) {
            throw new ModelFormatException("tensor '" + name + "' is stored externally but names no 'location'");
        }
        return source.external(name, location, offset, length);
    }

    private long parseLong(String v, String key) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("tensor '" + name + "': external data " + key + " '" + v
                    + "' is not a number");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public long storedBytes() {
        if (isExternal()) {
            return decodedBytes();
        }
        return proto.getSerializedSize();
    }

    @Override
    public Tensor decode() {
        source.checkOpen();
        return OnnxTensors.toTensor(proto, isExternal() ? externalBytes() : null);
    }

    /** The proto itself, for export and for the .nnz writer. */
    TensorProto proto() {
        return proto;
    }
}
