package dev.nnzip.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report: structure of the page, and the page as headless Chromium (Debian {@code chromium}, installed by
 * ./run-tests) renders it: the DOM after rendering has the plot with one curve per technique, and the screenshot
 * (kept in target/ and printed) shows the coloured curves.
 */
class RateAccuracyReportTest {
    @TempDir
    Path dir;

    static TechniqueSweep.Result sample() {
        List<TechniqueSweep.Point> points = new ArrayList<>();
        String[] techniques = {"smartdnn", "uniform", "sz"};
        for (int t = 0; t < techniques.length; t++) {
            double[] ratios = {6.9 - t * 0.1, 8.8 - t * 0.1, 12.1 - t * 0.2, 18.3, 34.5};
            double[] acc = {92.9, 92.9, 92.8 - t * 0.05, 92.3, 10.0}; // the last one collapsed: drawn clipped
            for (int i = 0; i < ratios.length; i++) {
                points.add(new TechniqueSweep.Point(techniques[t], "rel " + i, (long) (1e6 / ratios[i]), ratios[i],
                        acc[i], 92.91 - acc[i], 500, 3_542_016));
            }
        }
        return new TechniqueSweep.Result("vgg.onnx", 5_490_000, 92.91, "Fashion-MNIST test [10000]", points);
    }

    @Test
    void pageHasOneCurvePerTechniqueTheBaselineAndTheTable() {
        String html = RateAccuracyReport.render(sample());
        assertThat(count(html, "<polyline class=\"curve\"")).isEqualTo(3);
        assertThat(html).contains("data-technique=\"smartdnn\"", "data-technique=\"uniform\"",
                "data-technique=\"sz\"", "id=\"baseline\"", "<table id=\"points\"");
        assertThat(count(html, "<circle ")).isEqualTo(12);
        assertThat(count(html, "class=\"clipped\"")).isEqualTo(3);
        assertThat(count(html, "<tr><td")).isEqualTo(15);
        assertThat(html).doesNotContain("<script", "src=", "href=", "@import", "url("); // offline: nothing fetched
    }

    @Test
    void headlessChromiumRendersThePlot() throws Exception {
        String chromium = findChromium();
        assumeTrue(chromium != null, "chromium not installed (./run-tests installs Debian's chromium)");
        Path html = dir.resolve("report.html");
        RateAccuracyReport.write(sample(), html);
        String dom = runChromium(chromium, "--dump-dom", html.toUri().toString());
        assertThat(count(dom, "class=\"curve\"")).as("rendered DOM:\n%s", dom).isEqualTo(3);
        assertThat(dom).contains("id=\"rate-accuracy\"");

        Path shot = Path.of("target", "report-screenshots", "rate-accuracy.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        runChromium(chromium, "--screenshot=" + shot, "--window-size=1000,800", html.toUri().toString());
        assertThat(shot).isRegularFile();
        System.out.println("rate-accuracy report screenshot: " + shot);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertThat(img.getWidth()).isEqualTo(1000);
        // The three curves' colours (#1f77b4 blue, #d62728 red, #2ca02c green) are on screen.
        assertThat(pixelsNear(img, 0x1f77b4)).as("blue curve pixels").isGreaterThan(50);
        assertThat(pixelsNear(img, 0xd62728)).as("red curve pixels").isGreaterThan(50);
        assertThat(pixelsNear(img, 0x2ca02c)).as("green curve pixels").isGreaterThan(50);
    }

    private static String findChromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        return null;
    }

    private String runChromium(String chromium, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit status").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static int pixelsNear(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) < 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
