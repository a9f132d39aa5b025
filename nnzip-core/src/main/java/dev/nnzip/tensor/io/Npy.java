package dev.nnzip.tensor.io;

import dev.nnzip.NnzipException;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Shapes;
import dev.nnzip.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0–3.0, C order, little-endian or byte-order-free types),
 * as specified in numpy/lib/format.py. Every header field is validated before anything is allocated, so a hostile file
 * gets an error naming the offset and the field, never an OOM.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Map<String, DType> TYPES = Map.ofEntries(
            Map.entry("f4", DType.FLOAT), Map.entry("f8", DType.DOUBLE), Map.entry("f2", DType.FLOAT16),
            Map.entry("i8", DType.INT64), Map.entry("i4", DType.INT32), Map.entry("i2", DType.INT16),
            Map.entry("i1", DType.INT8), Map.entry("u1", DType.UINT8), Map.entry("u2", DType.UINT16),
            Map.entry("u4", DType.UINT32), Map.entry("u8", DType.UINT64), Map.entry("b1", DType.BOOL));

    private Npy() {
    }

    /** An .npy file that cannot be read; the message names the file, the offset and what was expected. */
    public static final class NpyFormatException extends NnzipException {
        public NpyFormatException(Path file, long offset, String message) {
            super(file + ": " + message + " (at byte offset " + offset + ")");
        }
    }

    public static Tensor read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(fileSize, 12)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head, 0);
            head.flip();
            if (head.remaining() < 10) {
                throw new NpyFormatException(file, 0, "file is too short to be a .npy (" + fileSize + " bytes)");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (head.get(i) != MAGIC[i]) {
                    throw new NpyFormatException(file, i, "not a .npy file: bad magic, expected \\x93NUMPY");
                }
            }
            int major = head.get(6) & 0xFF;
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = head.getShort(8) & 0xFFFF;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                if (head.remaining() < 12) {
                    throw new NpyFormatException(file, 8, "truncated header length");
                }
                headerLen = head.getInt(8) & 0xFFFFFFFFL;
                headerStart = 12;
            } else {
                throw new NpyFormatException(file, 6, "unsupported .npy format version " + major
                        + ", expected 1, 2 or 3");
            }
            if (headerStart + headerLen > fileSize || headerLen > 1 << 20) {
                throw new NpyFormatException(file, 8, "header length " + headerLen + " exceeds the file ("
                        + fileSize + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            long dataStart = headerStart + headerLen;
            return readData(file, ch, header, dataStart, fileSize);
        }
    }

    private static Tensor readData(Path file, FileChannel ch, String header, long dataStart, long fileSize)
            throws IOException {
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpyFormatException(file, 10, "header is missing 'descr', 'fortran_order' or 'shape': " + header);
        }
        String descr = d.group(1);
        if (f.group(1).equals("True")) {
            throw new NpyFormatException(file, 10, "Fortran-order arrays are not supported; save with C order");
        }
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        String code = descr.length() > 1 ? descr.substring(1) : descr;
        DType dtype = TYPES.get(code);
        if (dtype == null || (order == '>' && dtype.byteSize() > 1)) {
            throw new NpyFormatException(file, 10, "unsupported dtype '" + descr + "', expected one of "
                    + TYPES.keySet().stream().sorted().map(c -> "<" + c).toList());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException e) {
                    throw new NpyFormatException(file, 10, "bad shape entry '" + part.trim() + "'");
                }
            }
        }
        long count;
        try {
            count = Shapes.sizeExact(dims.stream().mapToLong(Long::longValue).toArray());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new NpyFormatException(file, 10, "invalid shape " + dims);
        }
        long need = count * dtype.byteSize();
        if (count > Integer.MAX_VALUE || dataStart + need != fileSize) {
            throw new NpyFormatException(file, dataStart, "shape " + dims + " of " + descr + " needs " + need
                    + " data bytes but the file holds " + (fileSize - dataStart));
        }
        ByteBuffer data = ByteBuffer.allocate((int) need).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart);
        data.flip();
        int[] shape = dims.stream().mapToInt(Long::intValue).toArray();
        return decode(dtype, shape, (int) count, data);
    }

    private static Tensor decode(DType dtype, int[] shape, int n, ByteBuffer b) {
        return switch (dtype.storage()) {
            case FLOAT -> {
                float[] out = new float[n];
                if (dtype == DType.FLOAT) {
                    b.asFloatBuffer().get(out);
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.float16ToFloat(b.getShort());
                    }
                }
                yield Tensor.wrap(dtype, shape, out);
            }
            case DOUBLE -> {
                double[] out = new double[n];
                b.asDoubleBuffer().get(out);
                yield Tensor.wrap(dtype, shape, out);
            }
            case BOOL -> {
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    out[i] = b.get() != 0;
                }
                yield Tensor.wrap(dtype, shape, out);
            }
            case LONG -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = switch (dtype) {
                        case INT64, UINT64 -> b.getLong();
                        case INT32 -> b.getInt();
                        case UINT32 -> Integer.toUnsignedLong(b.getInt());
                        case INT16 -> b.getShort();
                        case UINT16 -> Short.toUnsignedLong(b.getShort());
                        case INT8 -> b.get();
                        default -> Byte.toUnsignedLong(b.get());
                    };
                }
                yield Tensor.wrap(dtype, shape, out);
            }
            case STRING -> throw new IllegalStateException("unreachable");
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
    }

    /** Writes {@code t} as a version 1.0 .npy, atomically (temp file + rename). */
    public static void write(Path file, Tensor t) throws IOException {
        String code = TYPES.entrySet().stream().filter(e -> e.getValue() == t.dtype()).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("cannot write " + t.dtype() + " to .npy"));
        StringBuilder shape = new StringBuilder("(");
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        if (t.rank() > 1) {
            shape.setLength(shape.length() - 2);
        } else if (t.rank() == 1) {
            shape.setLength(shape.length() - 1);
        }
        shape.append(')');
        String dict = "{'descr': '" + (t.dtype().byteSize() == 1 ? "|" : "<") + code + "', 'fortran_order': False, "
                + "'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer data = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case FLOAT -> data.putFloat(t.floats()[i]);
                case DOUBLE -> data.putDouble(t.doubles()[i]);
                case FLOAT16 -> data.putShort(Float.floatToFloat16(t.floats()[i]));
                case INT64, UINT64 -> data.putLong(t.longs()[i]);
                case INT32, UINT32 -> data.putInt((int) t.longs()[i]);
                case INT16, UINT16 -> data.putShort((short) t.longs()[i]);
                case INT8, UINT8 -> data.put((byte) t.longs()[i]);
                case BOOL -> data.put((byte) (t.booleans()[i] ? 1 : 0));
                default -> throw new IllegalArgumentException("cannot write " + t.dtype() + " to .npy");
            }
        }
        AtomicFiles.write(file, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0, (byte) (header.length() & 0xFF), (byte) (header.length() >>> 8)});
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        });
    }
}
