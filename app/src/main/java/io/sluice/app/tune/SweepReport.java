package io.sluice.app.tune;

import java.util.List;
import java.util.Locale;

/** The concurrency study as a table for the terminal and as an SVG chart (throughput and p95 latency by concurrency). */
public final class SweepReport {
    private SweepReport() {}

    public static String table(ConcurrencySweep.Result result) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%11s %8s %12s %10s %10s %8s%n",
                "concurrency", "calls", "calls/s", "p50 ms", "p95 ms", "errors"));
        for (ConcurrencySweep.Level l : result.levels()) {
            out.append(String.format(Locale.ROOT, "%11d %8d %12.1f %10.1f %10.1f %7.1f%%%s%n", l.concurrency(), l.calls(), l.throughput(),
                    l.p50Millis(), l.p95Millis(), 100 * l.errorRate(), l == result.best() ? "   <- best" : ""));
        }
        out.append(result.best() == null ? "no level stayed within the error budget\n"
                : "best: " + result.best().concurrency() + " in flight (the lowest within 5% of the highest throughput)\n");
        return out.toString();
    }

    public static String chart(ConcurrencySweep.Result result) {
        List<ConcurrencySweep.Level> levels = result.levels();
        int w = 720, h = 360, left = 70, right = 70, top = 40, bottom = 50;
        double maxTput = levels.stream().mapToDouble(ConcurrencySweep.Level::throughput).max().orElse(1) * 1.15 + 1e-9;
        double maxP95 = levels.stream().mapToDouble(ConcurrencySweep.Level::p95Millis).max().orElse(1) * 1.15 + 1e-9;
        double plotW = w - left - right, plotH = h - top - bottom;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">"
                        + "<rect width=\"%d\" height=\"%d\" fill=\"white\"/><text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">"
                        + "Concurrency sweep: throughput (blue) and p95 latency (red)</text>", w, h, w, h, w / 2));
        StringBuilder tput = new StringBuilder(), p95 = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            ConcurrencySweep.Level l = levels.get(i);
            double x = left + (levels.size() == 1 ? plotW / 2 : plotW * i / (levels.size() - 1));
            double yt = top + plotH * (1 - l.throughput() / maxTput), yp = top + plotH * (1 - l.p95Millis() / maxP95);
            tput.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yt));
            p95.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yp));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", x, h - bottom + 18, l.concurrency()));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"#1f77b4\"/><text x=\"%.1f\" y=\"%.1f\" "
                    + "text-anchor=\"middle\" font-size=\"10\">%.0f/s</text>", x, yt, l == result.best() ? 7 : 3, x, yt - 8, l.throughput()));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#d62728\"/>", x, yp));
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"").append(tput).append("\"/>");
        svg.append("<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"5,3\" points=\"").append(p95).append("\"/>");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">calls in flight%s</text>", w / 2, h - 12,
                result.best() == null ? "" : " (large dot: best, " + result.best().concurrency() + ")"));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\">%.0f/s</text><text x=\"%d\" y=\"%d\">%.0f ms</text>", top + 4, maxTput,
                w - right + 6, top + 4, maxP95));
        return svg.append("</svg>\n").toString();
    }
}
