package dev.nnzip.tensor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void publishedFilesAreReadableLikeOrdinaryNewFiles() throws Exception {
        Path out = dir.resolve("report.html");
        AtomicFiles.write(out, o -> o.write("<p>ok</p>".getBytes(StandardCharsets.UTF_8)));
        assertThat(out).hasContent("<p>ok</p>");
        assumeTrue(Files.getFileStore(out).supportsFileAttributeView(PosixFileAttributeView.class), "not POSIX");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
    }

    @Test
    void aFailedWriteLeavesNeitherTheTargetNorATemporaryFile() throws Exception {
        Path out = dir.resolve("x.npy");
        assertThatThrownBy(() -> AtomicFiles.write(out, o -> {
            o.write(1);
            throw new IOException("disk full");
        })).hasMessage("disk full");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
