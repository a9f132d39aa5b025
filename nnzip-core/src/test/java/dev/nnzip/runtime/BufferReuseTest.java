package dev.nnzip.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnzip.graph.Attributes;
import dev.nnzip.graph.Node;
import dev.nnzip.ops.ExecContext;
import dev.nnzip.ops.OpKernel;
import dev.nnzip.ops.OpRegistry;
import dev.nnzip.runtime.shape.TensorType;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link BufferReuse} states which kernels hand on or overwrite an input's array. Checked against every registered
 * operator that runs on one or two float [2, 3] inputs with default attributes: with every input allowed to be
 * overwritten, the kernel's output shares an input's array exactly when the planner says it does (and the same one).
 */
class BufferReuseTest {
    @Test
    void kernelsShareAnInputsArrayExactlyWhenThePlannerSaysSo() {
        int checked = 0;
        List<String> disagreements = new ArrayList<>();
        for (String op : OpRegistry.standard().operators()) {
            if (op.contains(".")) {
                continue; // the fused ops of our own domain never share
            }
            for (int arity = 1; arity <= 2; arity++) {
                Tensor[] in = new Tensor[arity];
                for (int i = 0; i < arity; i++) {
                    in[i] = Tensor.of(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, 2, 3);
                }
                List<String> names = new ArrayList<>();
                for (int i = 0; i < arity; i++) {
                    names.add("x" + i);
                }
                Node node = new Node("n", op, "", names, List.of("y"), new Attributes(Collections.emptyList()));
                Tensor[] out;
                OpKernel kernel;
                try {
                    kernel = OpRegistry.standard().create(node, 17);
                    ExecContext ctx = ExecContext.sequential();
                    ctx.overwritable((1L << arity) - 1);
                    out = kernel.run(in, ctx);
                } catch (RuntimeException e) {
                    continue; // needs other inputs or attributes: not this check's business
                }
                if (out.length == 0 || out[0] == null) {
                    continue;
                }
                int actual = -1;
                for (int i = 0; i < arity; i++) {
                    if (out[0].data() == in[i].data()) {
                        actual = i;
                        break;
                    }
                }
                TensorType[] inTypes = new TensorType[arity];
                for (int i = 0; i < arity; i++) {
                    inTypes[i] = TensorType.of(DType.FLOAT, 2, 3);
                }
                int planned = BufferReuse.source(node, kernel, 17, 0, inTypes,
                        new TensorType[] {TensorType.of(out[0].dtype(), out[0].shape())}, (1L << arity) - 1);
                checked++;
                if (planned != actual) {
                    disagreements.add(op + "/" + arity + ": kernel shares input " + actual + ", planner says "
                            + planned);
                }
            }
        }
        assertThat(checked).as("operators checked").isGreaterThan(60);
        assertThat(disagreements).isEmpty();
    }
}
