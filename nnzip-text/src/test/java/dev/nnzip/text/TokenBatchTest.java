package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnzip.InvalidInputException;
import dev.nnzip.graph.ValueInfo;
import dev.nnzip.tensor.DType;
import dev.nnzip.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenBatchTest {
    private final TokenBatch batch = TokenBatch.of(List.of(new long[] {101, 7, 102}, new long[] {101, 102}),
            List.of(new long[] {0, 0, 0}, new long[] {0, 0}));

    @Test
    void feedsOnlyTheInputsTheModelDeclaresRightPadded() {
        Map<String, Tensor> feed = batch.feed(List.of(ValueInfo.of("input_ids", DType.INT64, -1, -1),
                ValueInfo.of("attention_mask", DType.INT64, -1, -1)));
        assertThat(feed).containsOnlyKeys("input_ids", "attention_mask");
        assertThat(feed.get("input_ids").shape()).containsExactly(2, 3);
        assertThat(feed.get("input_ids").longs()).containsExactly(101, 7, 102, 101, 102, 0);
        assertThat(feed.get("attention_mask").longs()).containsExactly(1, 1, 1, 1, 1, 0);
    }

    @Test
    void honoursInt32TokenInputs() {
        Tensor ids = batch.feed(List.of(ValueInfo.of("input_ids", DType.INT32, -1, -1))).get("input_ids");
        assertThat(ids.dtype()).isEqualTo(DType.INT32);
    }

    @Test
    void refusesInputsATokenizerCannotProduce() {
        assertThatThrownBy(() -> batch.feed(List.of(ValueInfo.of("pixel_values", DType.INT64, -1, -1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pixel_values")
                .hasMessageContaining("input_ids");
        assertThatThrownBy(() -> batch.feed(List.of(ValueInfo.of("input_ids", DType.FLOAT, -1, -1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("int64 or int32");
    }
}
