package dev.jgen.plot;

import org.knowm.xchart.BitmapEncoder;
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

/** The few chart shapes jgen draws: metric curves and labelled 2-D scatters. */
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
