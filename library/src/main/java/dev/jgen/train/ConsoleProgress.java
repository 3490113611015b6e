package dev.jgen.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Map;

/** Training progress outside a notebook: a console progress bar with rate, time left and metrics. */
final class ConsoleProgress implements TrainingListener {
    private ProgressBar bar;

    @Override
    public void onStep(Progress progress) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(progress.title())
                    .setInitialMax(progress.stepsPlanned())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.out))
                    .showSpeed()
                    .build();
        }
        bar.stepTo(progress.step());
        bar.setExtraMessage(metrics(progress.metrics()));
    }

    @Override
    public void onEnd(Progress progress, Throwable failure) {
        if (bar != null) {
            bar.close();
        }
        if (failure instanceof TrainingInterrupted) {
            System.out.println(failure.getMessage());
        }
    }

    private static String metrics(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format("%s=%.4g ", k, v)));
        return sb.toString().trim();
    }
}
