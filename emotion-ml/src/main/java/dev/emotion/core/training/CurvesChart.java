package dev.emotion.core.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves as PNG: losses per epoch with the generalisation gap (validation minus train loss: how much worse
 * the model does on people it never trained on), and the validation metrics per epoch.
 */
public final class CurvesChart {

    private CurvesChart() {
    }

    /** Writes {@code <name>-loss.png} and {@code <name>-metrics.png} into {@code dir}; returns their paths. */
    public static List<Path> write(Path dir, String name, String title, List<Trainer.EpochReport> history)
            throws IOException {
        Files.createDirectories(dir);
        List<Double> epochs = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        List<Double> gap = new ArrayList<>();
        for (Trainer.EpochReport r : history) {
            epochs.add((double) r.epoch());
            train.add(r.trainLoss());
            val.add(r.valLoss());
            gap.add(r.valLoss() - r.trainLoss());
        }
        XYChart loss = new XYChartBuilder().width(800).height(450).title(title + ": loss").xAxisTitle("epoch")
                .yAxisTitle("loss").build();
        loss.addSeries("train", epochs, train).setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("validation", epochs, val).setMarker(SeriesMarkers.DIAMOND);
        loss.addSeries("gap (validation - train)", epochs, gap).setMarker(SeriesMarkers.SQUARE);
        XYChart metrics = new XYChartBuilder().width(800).height(450).title(title + ": validation metrics")
                .xAxisTitle("epoch").yAxisTitle("value").build();
        for (String metric : history.get(0).valMetrics().keySet()) {
            if (metric.equals("score")) {
                continue;
            }
            List<Double> values = history.stream().map(r -> r.valMetrics().getOrDefault(metric, Double.NaN)).toList();
            metrics.addSeries(metric, epochs, values).setMarker(SeriesMarkers.CIRCLE);
        }
        Path lossPng = dir.resolve(name + "-loss.png");
        Path metricsPng = dir.resolve(name + "-metrics.png");
        BitmapEncoder.saveBitmap(loss, lossPng.toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(metrics, metricsPng.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(lossPng, metricsPng);
    }
}
