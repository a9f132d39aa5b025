package dev.nnzip.report;

import dev.nnzip.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page for a {@link TechniqueSweep.Result}: the rate-accuracy plot (compression ratio on a log
 * axis against top-1 accuracy, one curve per technique, the uncompressed accuracy as a dashed line) as inline SVG,
 * then the full table. No scripts, fonts or files beside it: it opens offline, in any browser, and prints.
 *
 * <p>Points far below the baseline (a collapsed setting) would squash every useful curve into a line, so the accuracy
 * axis stops {@value #Y_SPAN} points below the baseline and such points sit on the bottom edge as downward triangles;
 * the table has their true values.
 */
public final class RateAccuracyReport {
    private static final double Y_SPAN = 6.0;
    private static final int WIDTH = 860;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 30;
    private static final int BOTTOM = 55;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private RateAccuracyReport() {
    }

    /** Writes the page atomically (a temp file renamed into place). */
    public static void write(TechniqueSweep.Result result, Path html) throws IOException {
        String page = render(result);
        AtomicFiles.write(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
    }

    static String render(TechniqueSweep.Result r) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>nnzip: compression of ")
                .append(esc(r.model())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;")
                .append("font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l{text-align:left}svg text{font-family:sans-serif}\n")
                .append("</style></head><body>\n");
        sb.append("<h1>Rate&ndash;accuracy: ").append(esc(r.model())).append("</h1>\n<p>")
                .append(String.format(Locale.ROOT, "Uncompressed: %,d bytes, top-1 %.2f %% on %s.", r.originalBytes(),
                        r.baselineAccuracy(), esc(r.data())))
                .append(" Ratio = ONNX file bytes / .nnz file bytes. Each curve is one technique at increasing"
                        + " compression.</p>\n");
        plot(sb, r);
        table(sb, r);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void plot(StringBuilder sb, TechniqueSweep.Result r) {
        Map<String, List<TechniqueSweep.Point>> curves = new LinkedHashMap<>();
        for (TechniqueSweep.Point p : r.points()) {
            curves.computeIfAbsent(p.technique(), k -> new ArrayList<>()).add(p);
        }
        double maxRatio = 2;
        double minAcc = r.baselineAccuracy();
        for (TechniqueSweep.Point p : r.points()) {
            maxRatio = Math.max(maxRatio, p.ratio());
            minAcc = Math.min(minAcc, p.accuracy());
        }
        double xMax = Math.log(maxRatio * 1.15);
        double yTop = Math.ceil(r.baselineAccuracy() + 0.5);
        double yBottom = Math.floor(Math.max(minAcc - 0.5, r.baselineAccuracy() - Y_SPAN));
        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator x = ratio -> LEFT + pw * Math.log(Math.max(1, ratio)) / xMax;
        java.util.function.DoubleUnaryOperator y = acc -> TOP + ph * (yTop - Math.max(yBottom, acc)) / (yTop - yBottom);
        sb.append(String.format(Locale.ROOT, "<svg id=\"rate-accuracy\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"compression ratio versus "
                + "top-1 accuracy\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
                + "stroke=\"#888\"/>\n", LEFT, TOP, pw, ph));
        for (double ratio = 1; ratio <= maxRatio * 1.15; ratio *= 2) { // x ticks at powers of two
            double px = x.applyAsDouble(ratio);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s&#215;</text>\n", px, TOP,
                    px, TOP + ph, px, TOP + ph + 16, fmt(ratio)));
        }
        double step = (yTop - yBottom) > 4 ? 1 : 0.5;
        for (double acc = yBottom; acc <= yTop + 1e-9; acc += step) {
            double py = y.applyAsDouble(acc);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>\n", LEFT, py,
                    LEFT + pw, py, LEFT - 6, py + 4, fmt(acc)));
        }
        double base = y.applyAsDouble(r.baselineAccuracy());
        sb.append(String.format(Locale.ROOT, "<line id=\"baseline\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                + "stroke=\"#444\" stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\">"
                + "uncompressed %.2f %%</text>\n", LEFT, base, LEFT + pw, base, LEFT + 4, base - 4,
                r.baselineAccuracy()));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">"
                + "compression ratio (log scale)</text>\n", LEFT + pw / 2, HEIGHT - 12));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" font-size=\"13\" "
                + "text-anchor=\"middle\">top-1 accuracy (%%)</text>\n", TOP + ph / 2));
        int c = 0;
        for (var e : curves.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (TechniqueSweep.Point p : e.getValue()) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(p.ratio()),
                        y.applyAsDouble(p.accuracy())));
            }
            sb.append(String.format(Locale.ROOT, "<g class=\"technique\" data-technique=\"%s\"><polyline "
                    + "class=\"curve\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
                    esc(e.getKey()), color, pts.toString().trim()));
            for (TechniqueSweep.Point p : e.getValue()) {
                double px = x.applyAsDouble(p.ratio());
                double py = y.applyAsDouble(p.accuracy());
                String tip = String.format(Locale.ROOT, "%s %s: %.2fx, %.2f %%", p.technique(), p.setting(),
                        p.ratio(), p.accuracy());
                if (p.accuracy() < yBottom) {
                    sb.append(String.format(Locale.ROOT, "<path class=\"clipped\" d=\"M%.1f %.1f l-5 -8 h10 z\" "
                            + "fill=\"%s\"><title>%s</title></path>\n", px, py, color, esc(tip)));
                } else {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                            + "<title>%s</title></circle>\n", px, py, color, esc(tip)));
                }
            }
            int ly = TOP + 14 + 20 * c;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text></g>\n",
                    LEFT + pw + 14, ly, LEFT + pw + 40, ly, color, LEFT + pw + 46, ly + 4, esc(e.getKey())));
            c++;
        }
        sb.append("</svg>\n");
    }

    private static void table(StringBuilder sb, TechniqueSweep.Result r) {
        sb.append("<h2>All settings</h2>\n<table id=\"points\"><thead><tr><th>technique</th><th>setting</th>"
                + "<th>.nnz bytes</th><th>ratio</th><th>top-1 %</th><th>drop (pp)</th><th>decode MB/s</th>"
                + "<th>peak decoded weights (prefetch)</th></tr></thead><tbody>\n");
        for (TechniqueSweep.Point p : r.points()) {
            sb.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td>%,d</td>"
                    + "<td>%.2f&#215;</td><td>%.2f</td><td>%.2f</td><td>%.0f</td><td>%,d B</td></tr>\n",
                    esc(p.technique()), esc(p.setting()), p.compressedBytes(), p.ratio(), p.accuracy(), p.drop(),
                    p.decodeMBps(), p.peakDecodedWeightBytes()));
        }
        sb.append("</tbody></table>\n");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
