package io.wixoauth.bench;

import java.util.List;
import java.util.Locale;

/** The time-compressed month as an SVG chart: the database's size, and below it the rows of each table. */
final class Chart {

    private static final int WIDTH = 900;
    private static final int PANEL = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79"};

    private Chart() {
    }

    static String svg(Growth.Month month) {
        List<Growth.Sample> samples = month.samples();
        double seconds = Math.max(1, samples.get(samples.size() - 1).at().toMillis() / 1000.0);
        StringBuilder svg = new StringBuilder();
        int height = 2 * PANEL + 120;
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">A month in %d minutes "
                + "(every horizon %s, a purge every minute): PostgreSQL schema size and rows per table</text>%n", LEFT,
                month.length().toMinutes(), month.horizon()));
        double maxMiB = samples.stream().mapToDouble(s -> s.bytes() / 1048576.0).max().orElse(1) * 1.1;
        panel(svg, 40, "MiB", maxMiB, seconds, month);
        StringBuilder line = new StringBuilder();
        for (Growth.Sample s : samples) {
            line.append(x(s.at().toMillis() / 1000.0, seconds)).append(',')
                    .append(y(s.bytes() / 1048576.0, maxMiB, 40)).append(' ');
        }
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"").append(line.toString().trim())
                .append("\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">database size</text>%n",
                WIDTH - RIGHT + 10, 60));
        int top = 40 + PANEL + 50;
        double maxRows = samples.stream().flatMap(s -> s.rows().values().stream()).mapToLong(Long::longValue).max()
                .orElse(1) * 1.1;
        panel(svg, top, "rows", maxRows, seconds, month);
        int i = 0;
        for (String table : Growth.TABLES) {
            StringBuilder rows = new StringBuilder();
            for (Growth.Sample s : samples) {
                rows.append(x(s.at().toMillis() / 1000.0, seconds)).append(',')
                        .append(y(s.rows().getOrDefault(table, 0L), maxRows, top)).append(' ');
            }
            String colour = COLOURS[i % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(rows.toString().trim()).append("\"/>\n");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", WIDTH - RIGHT + 10,
                    top + 14 + 16 * i, colour, table));
            i++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Axes, gridlines every minute and a vertical mark at the first horizon. */
    private static void panel(StringBuilder svg, int top, String unit, double max, double seconds, Growth.Month month) {
        int right = WIDTH - RIGHT;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", LEFT, top, right - LEFT, PANEL));
        for (int minute = 0; minute * 60 <= seconds; minute++) {
            String gx = x(minute * 60, seconds);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"#eee\"/>%n"
                    + "<text x=\"%s\" y=\"%d\" text-anchor=\"middle\">%d min</text>%n", gx, top, gx, top + PANEL, gx,
                    top + PANEL + 15, minute));
        }
        String hx = x(month.horizon().toSeconds(), seconds);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"#d62728\" "
                + "stroke-dasharray=\"4 3\"/>%n<text x=\"%s\" y=\"%d\" fill=\"#d62728\"> first horizon</text>%n",
                hx, top, hx, top + PANEL, hx, top + 12));
        for (int tick = 0; tick <= 4; tick++) {
            double value = max * tick / 4;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%s\" text-anchor=\"end\">%s</text>%n", LEFT - 5,
                    y(value, max, top), value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                            : String.format(Locale.ROOT, "%.1f", value)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" transform=\"rotate(-90 %d %d)\" "
                + "text-anchor=\"middle\">%s</text>%n", 15, top + PANEL / 2, 15, top + PANEL / 2, unit));
    }

    private static String x(double second, double seconds) {
        return String.format(Locale.ROOT, "%.1f", LEFT + (WIDTH - RIGHT - LEFT) * second / seconds);
    }

    private static String y(double value, double max, int top) {
        return String.format(Locale.ROOT, "%.1f", top + PANEL - PANEL * value / max);
    }
}
