package dev.emotion.core.evaluation;

import dev.emotion.core.metrics.Bootstrap;
import dev.emotion.core.metrics.Roc;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart and saved as PNG. */
public final class ReportCharts {

    private ReportCharts() {
    }

    /** Bars per model for each metric, with 95 % CI error bars (half the interval's width around the value). */
    public static Path comparison(Path file, List<String> models, Map<String, List<Double>> values,
                                  Map<String, List<Bootstrap.Interval>> intervals) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(500).title("Model comparison (95 % CI)")
                .xAxisTitle("model").yAxisTitle("value").build();
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        for (var e : values.entrySet()) {
            List<Double> err = new ArrayList<>();
            List<Bootstrap.Interval> ci = intervals.get(e.getKey());
            for (int i = 0; i < models.size(); i++) {
                Bootstrap.Interval in = ci == null ? null : ci.get(i);
                err.add(in == null ? 0.0 : (in.high() - in.low()) / 2);
            }
            c.addSeries(e.getKey(), models, e.getValue(), err);
        }
        return save(c, file);
    }

    /** Plain bars: one group per category (e.g. held-out participant), one series per metric. */
    public static Path bars(Path file, String title, String xTitle, List<String> categories,
                            Map<String, List<Double>> values) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(xTitle)
                .yAxisTitle("value").build();
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        values.forEach((name, v) -> c.addSeries(name, categories, v));
        return save(c, file);
    }

    public static Path confusion(Path file, String title, List<String> labels, double[][] normalized)
            throws IOException {
        HeatMapChart c = new HeatMapChartBuilder().width(700).height(600).title(title)
                .xAxisTitle("predicted").yAxisTitle("annotated").build();
        c.getStyler().setShowValue(true).setMin(0).setMax(1).setHeatMapValueDecimalPattern("0.00")
                .setRangeColors(new Color[] {Color.WHITE, new Color(66, 133, 244), new Color(13, 71, 161)});
        List<Number[]> heat = new ArrayList<>();
        for (int r = 0; r < labels.size(); r++) {
            for (int p = 0; p < labels.size(); p++) {
                heat.add(new Number[] {p, r, normalized[r][p]});
            }
        }
        c.addSeries("row-normalised", labels, labels, heat);
        return save(c, file);
    }

    public static Path reliability(Path file, String title, Calibration.Result before, Calibration.Result after)
            throws IOException {
        XYChart c = new XYChartBuilder().width(700).height(500).title(title).xAxisTitle("confidence")
                .yAxisTitle("accuracy").build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.addSeries("perfect", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
        addBins(c, String.format("model (ECE %.3f)", before.ece()), before);
        if (after != null) {
            addBins(c, String.format("temperature-scaled (ECE %.3f)", after.ece()), after);
        }
        return save(c, file);
    }

    private static void addBins(XYChart c, String name, Calibration.Result r) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Calibration.Bin b : r.bins()) {
            if (b.count() > 0) {
                x.add(b.confidence());
                y.add(b.accuracy());
            }
        }
        if (!x.isEmpty()) {
            c.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
    }

    /** One-vs-rest ROC curve per class (classes whose curve is defined). */
    public static Path roc(Path file, String title, Map<String, List<Roc.Point>> curves) throws IOException {
        XYChart c = new XYChartBuilder().width(700).height(500).title(title).xAxisTitle("false positive rate")
                .yAxisTitle("true positive rate").build();
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        c.addSeries("chance", new double[] {0, 1}, new double[] {0, 1}).setMarker(SeriesMarkers.NONE);
        curves.forEach((label, points) -> {
            if (!points.isEmpty()) {
                c.addSeries(label, points.stream().map(Roc.Point::falsePositiveRate).toList(),
                        points.stream().map(Roc.Point::truePositiveRate).toList()).setMarker(SeriesMarkers.NONE);
            }
        });
        return save(c, file);
    }

    /** Annotated vs predicted (smoothed) class index over time for one video. */
    public static Path timeline(Path file, String title, List<String> labels, List<Double> seconds,
                                List<Double> annotated, List<Double> predicted) throws IOException {
        // Class indices on the y axis, named in the axis title: XChart's tick calculator can loop forever with
        // custom integer tick spacing, so the axis keeps its default ticks.
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            names.append(i == 0 ? "" : ", ").append(i).append('=').append(labels.get(i));
        }
        XYChart c = new XYChartBuilder().width(1000).height(420).title(title + " (" + names + ")")
                .xAxisTitle("time (s)").yAxisTitle("class").build();
        c.getStyler().setYAxisMin(-0.5).setYAxisMax(labels.size() - 0.5).setYAxisDecimalPattern("0.#");
        XYSeries a = c.addSeries("annotated", seconds, annotated);
        a.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        a.setMarker(SeriesMarkers.NONE);
        XYSeries p = c.addSeries("predicted (EMA-smoothed)", seconds, predicted);
        p.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        p.setMarker(SeriesMarkers.NONE);
        return save(c, file);
    }

    /** Two traces of one channel over time (e.g. a model's joy and AFFDEX's), 0..100. */
    public static Path traces(Path file, String title, List<Double> seconds, String firstName, double[] first,
                              String secondName, double[] second) throws IOException {
        XYChart c = new XYChartBuilder().width(1000).height(260).title(title).xAxisTitle("time (s)")
                .yAxisTitle(title).build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        XYSeries a = c.addSeries(firstName, seconds, java.util.Arrays.stream(first).boxed().toList());
        a.setMarker(SeriesMarkers.NONE);
        XYSeries b = c.addSeries(secondName, seconds, java.util.Arrays.stream(second).boxed().toList());
        b.setMarker(SeriesMarkers.NONE);
        return save(c, file);
    }

    /** Per-block head diversity of a ViT. */
    public static Path headDiversity(Path file, String title, double[] perBlock) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(700).height(400).title(title).xAxisTitle("block")
                .yAxisTitle("mean pairwise JS distance").build();
        List<String> blocks = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < perBlock.length; i++) {
            blocks.add(String.valueOf(i + 1));
            v.add(perBlock[i]);
        }
        c.addSeries("head diversity", blocks, v);
        c.getStyler().setLegendVisible(false);
        return save(c, file);
    }

    /**
     * Face crops with heat maps blended over them: one row per crop, the input, then the rollout, then each block's
     * class-token map. Not a chart: an image grid.
     */
    public static Path attentionGrid(Path file, List<BufferedImage> crops, List<List<double[]>> maps, int grid)
            throws IOException {
        int cell = 112;
        int cols = 1 + maps.get(0).size();
        BufferedImage out = new BufferedImage(cols * cell, crops.size() * cell, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < crops.size(); r++) {
            BufferedImage crop = scaled(crops.get(r), cell);
            out.getGraphics().drawImage(crop, 0, r * cell, null);
            for (int m = 0; m < maps.get(r).size(); m++) {
                double[] heat = stretched(maps.get(r).get(m));
                for (int y = 0; y < cell; y++) {
                    for (int x = 0; x < cell; x++) {
                        double h = heat[(y * grid / cell) * grid + (x * grid / cell)];
                        int rgb = crop.getRGB(x, y);
                        int red = (int) (((rgb >> 16) & 0xFF) * (1 - 0.6 * h) + 255 * 0.6 * h);
                        int green = (int) (((rgb >> 8) & 0xFF) * (1 - 0.6 * h));
                        int blue = (int) ((rgb & 0xFF) * (1 - 0.6 * h));
                        out.setRGB((m + 1) * cell + x, r * cell + y, (red << 16) | (green << 8) | blue);
                    }
                }
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(out, "png", file.toFile());
        return file;
    }

    /** Min-max stretch: near-uniform attention still shows where it is highest. */
    private static double[] stretched(double[] map) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = max - min < 1e-12 ? 0 : (map[i] - min) / (max - min);
        }
        return out;
    }

    private static BufferedImage scaled(BufferedImage in, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(in.getScaledInstance(size, size, java.awt.Image.SCALE_SMOOTH), 0, 0, null);
        return out;
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
