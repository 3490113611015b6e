package dev.jgen.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The few chart shapes jgen draws: metric curves, labelled 2-D scatters, heatmaps and marginals of table columns. */
public final class Charts {
    static {
        // Charts are drawn off-screen, also on machines with a display variable set but no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int PANEL = 220;

    private Charts() {}

    /** One line per named series; each value of the map is {x[], y[]}. */
    public static Figure lines(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return new Figure(chart);
    }

    /** A square matrix of values in [-1, 1] (correlations) between named columns, blue negative, red positive. */
    public static Figure correlations(String title, List<String> names, double[][] values) {
        HeatMapChart chart = new HeatMapChartBuilder().width(PANEL * 2).height(PANEL * 2).title(title).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setValueFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(8f));
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMin(-1);
        chart.getStyler().setMax(1);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(8f));
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0x2166ac), java.awt.Color.WHITE, new java.awt.Color(0xb2182b)});
        List<String> labels = names.stream().map(n -> n.length() > 12 ? n.substring(0, 11) + "\u2026" : n).toList();
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < names.size(); r++) {
            for (int c = 0; c < names.size(); c++) {
                double v = values[r][c];
                cells.add(new Number[] {c, r, Double.isNaN(v) ? 0 : Math.round(v * 100) / 100.0});
            }
        }
        chart.addSeries(title, labels, labels, cells);
        return new Figure(chart);
    }

    /**
     * Overlaid histograms of one numeric column, one per named series (e.g. real and synthetic), on the same
     * {@code bins} bins over the range of all values; heights are shares of each series' rows. NaN is skipped.
     */
    public static Figure histograms(String title, Map<String, double[]> series, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : series.values()) {
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        List<String> edges = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            edges.add(shortNumber(lo + (b + 0.5) * (hi - lo) / bins));
        }
        Map<String, List<Double>> shares = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] counts = new double[bins];
            int present = 0;
            for (double v : e.getValue()) {
                if (!Double.isNaN(v)) {
                    counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
                    present++;
                }
            }
            List<Double> column = new ArrayList<>();
            for (double c : counts) {
                column.add(present == 0 ? 0 : c / present);
            }
            shares.put(e.getKey(), column);
        }
        return bars(title, edges, shares, true);
    }

    /** Side-by-side bars of each category's share, one colour per named series (e.g. real and synthetic). */
    public static Figure bars(String title, List<String> categories, Map<String, List<Double>> shares) {
        return bars(title, categories, shares, false);
    }

    private static Figure bars(String title, List<String> categories, Map<String, List<Double>> shares, boolean overlap) {
        CategoryChart chart = new CategoryChartBuilder().width(PANEL * 3 / 2).height(PANEL).title(title).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setOverlapped(overlap);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 60 : 0);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(11f));
        chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(8f));
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(9f));
        java.awt.Color[] colours = {new java.awt.Color(59, 130, 246, overlap ? 150 : 255), new java.awt.Color(245, 158, 11, overlap ? 150 : 255),
                new java.awt.Color(16, 185, 129, overlap ? 150 : 255)};
        chart.getStyler().setSeriesColors(colours);
        List<String> labels = categories.stream().map(c -> c.length() > 14 ? c.substring(0, 13) + "\u2026" : c).toList();
        for (Map.Entry<String, List<Double>> e : shares.entrySet()) {
            CategorySeries series = chart.addSeries(e.getKey(), labels, e.getValue());
            series.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
        }
        return new Figure(chart);
    }

    private static String shortNumber(double v) {
        double magnitude = Math.abs(v);
        return magnitude >= 1000 ? String.format("%.0f", v) : magnitude >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    /**
     * Points (N x 2, row-major) coloured by label; {@code labels} may be null for one colour.
     * {@code classNames} names the labels in the legend when given.
     */
    public static Figure scatter(String title, float[] points, int[] labels, List<String> classNames) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(WIDTH * 4 / 5).title(title).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendVisible(labels != null);
        int n = points.length / 2;
        if (labels == null) {
            chart.addSeries("points", column(points, 0, n, null, 0), column(points, 1, n, null, 0));
            return new Figure(chart);
        }
        int maxLabel = 0;
        for (int label : labels) {
            maxLabel = Math.max(maxLabel, label);
        }
        for (int c = 0; c <= maxLabel; c++) {
            double[] xs = column(points, 0, n, labels, c);
            if (xs.length == 0) {
                continue;
            }
            String name = classNames != null && c < classNames.size() ? classNames.get(c) : String.valueOf(c);
            chart.addSeries(name, xs, column(points, 1, n, labels, c));
        }
        return new Figure(chart);
    }

    /**
     * A heatmap of {@code values[row][column]} over a grid whose cell centres are {@code xs} (columns)
     * and {@code ys} (rows), e.g. a log-density.
     */
    public static Figure heatmap(String title, double[] xs, double[] ys, double[][] values) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(WIDTH * 4 / 5).title(title).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(0x440154), new java.awt.Color(0x3b528b),
                new java.awt.Color(0x21918c), new java.awt.Color(0x5ec962), new java.awt.Color(0xfde725)});
        List<Double> xAxis = new ArrayList<>();
        List<Double> yAxis = new ArrayList<>();
        for (double x : xs) {
            xAxis.add(Math.round(x * 100) / 100.0);
        }
        for (double y : ys) {
            yAxis.add(Math.round(y * 100) / 100.0);
        }
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < ys.length; r++) {
            for (int c = 0; c < xs.length; c++) {
                cells.add(new Number[] {c, r, values[r][c]});
            }
        }
        chart.addSeries(title, xAxis, yAxis, cells);
        return new Figure(chart);
    }

    /**
     * Small scatters side by side on shared axes, one per frame (N x 2 points each), each with its title:
     * how a cloud of points moves over time.
     */
    public static BufferedImage scatterRow(List<String> titles, List<float[]> frames) {
        double[] bounds = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (float[] frame : frames) {
            for (int i = 0; i < frame.length; i++) {
                int axis = 2 * (i % 2);
                bounds[axis] = Math.min(bounds[axis], frame[i]);
                bounds[axis + 1] = Math.max(bounds[axis + 1], frame[i]);
            }
        }
        BufferedImage row = new BufferedImage(PANEL * frames.size(), PANEL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        for (int f = 0; f < frames.size(); f++) {
            XYChart chart = new XYChartBuilder().width(PANEL).height(PANEL).title(titles.get(f)).build();
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            chart.getStyler().setMarkerSize(2);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisMin(bounds[0]).setXAxisMax(bounds[1]).setYAxisMin(bounds[2]).setYAxisMax(bounds[3]);
            int n = frames.get(f).length / 2;
            chart.addSeries("points", column(frames.get(f), 0, n, null, 0), column(frames.get(f), 1, n, null, 0));
            g.drawImage(BitmapEncoder.getBufferedImage(chart), f * PANEL, 0, null);
        }
        g.dispose();
        return row;
    }

    private static double[] column(float[] points, int axis, int n, int[] labels, int label) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (labels == null || labels[i] == label) {
                values.add((double) points[2 * i + axis]);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
