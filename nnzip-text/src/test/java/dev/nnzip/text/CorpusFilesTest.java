package dev.nnzip.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The three committed fortunes files (data/corpus/README.md) play separate roles — evaluation, the tuner's calibration,
 * embedding-row frequencies — and are only worth having separately if no sentence is in two of them. Identity is the
 * corpus script's de-duplication key (tools/corpus/make_corpus.py, rule 5): case- and whitespace-insensitive.
 */
class CorpusFilesTest {
    private static final Path DIR = Path.of("..", "data", "corpus");

    @Test
    void evaluationCalibrationAndFrequencyCorporaArePairwiseDisjoint() {
        List<Set<String>> files = List.of(keys("fortunes-sentences.txt"), keys("fortunes-calibration.txt"),
                keys("fortunes-frequency.txt"));
        assertThat(files.get(0)).hasSize(1064);
        assertThat(files.get(1)).hasSize(1064);
        assertThat(files.get(2)).hasSize(3192);
        for (int i = 0; i < files.size(); i++) {
            for (int j = i + 1; j < files.size(); j++) {
                Set<String> common = new HashSet<>(files.get(i));
                common.retainAll(files.get(j));
                assertThat(common).as("files %d and %d", i, j).isEmpty();
            }
        }
    }

    /** The distinct keys of a file; its line count must equal their number (no duplicates inside a file either). */
    private static Set<String> keys(String name) {
        List<String> lines = TextLines.read(DIR.resolve(name));
        Set<String> keys = new HashSet<>();
        for (String line : lines) {
            keys.add(String.join(" ", line.toLowerCase(Locale.ROOT).trim().split("\\s+")));
        }
        assertThat(keys).as(name + " has duplicate lines").hasSize(lines.size());
        return keys;
    }
}
