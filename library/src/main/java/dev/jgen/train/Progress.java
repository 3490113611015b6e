package dev.jgen.train;

import java.util.Map;

/**
 * Where a training run stands, handed to {@link TrainingListener}s.
 *
 * @param epoch         the epoch being trained, counted from 0 across fit calls
 * @param epochsPlanned epochs this fit call will run (may be huge for step-bounded fits)
 * @param step          steps done in this fit call
 * @param stepsPlanned  steps this fit call will run
 * @param metrics       the latest step's metrics
 */
public record Progress(String title, int epoch, int epochsPlanned, long step, long stepsPlanned,
                       double elapsedSeconds, Map<String, Double> metrics, History history) {

    public double stepsPerSecond() {
        return elapsedSeconds > 0 ? step / elapsedSeconds : 0;
    }

    public double secondsLeft() {
        double rate = stepsPerSecond();
        return rate > 0 ? (stepsPlanned - step) / rate : Double.NaN;
    }

    /** One line: "vae  epoch 2  step 120/469  38.2 steps/s  0:07 left  loss=265.3 ...". */
    public String line() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s  step %d/%d (%.0f%%)  epoch %d  %.1f steps/s  %s left", title, step, stepsPlanned,
                100.0 * step / Math.max(1, stepsPlanned), epoch + 1, stepsPerSecond(), clock(secondsLeft())));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            sb.append(String.format("  %s=%.4g", e.getKey(), e.getValue()));
        }
        return sb.toString();
    }

    static String clock(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
