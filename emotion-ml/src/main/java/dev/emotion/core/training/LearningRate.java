package dev.emotion.core.training;

/**
 * Linear warm-up to the base rate, then cosine annealing with warm restarts (SGDR): the first cycle lasts
 * {@code cycleSteps} updates, each next one {@code cycleMult} times longer, each falling from the base rate to
 * {@code minFactor} of it.
 */
public record LearningRate(float base, long warmupSteps, long cycleSteps, int cycleMult, float minFactor) {

    public float at(long step) {
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        long t = step - warmupSteps;
        long cycle = Math.max(1, cycleSteps);
        while (t >= cycle) {
            t -= cycle;
            cycle *= Math.max(1, cycleMult);
        }
        double cos = 0.5 * (1 + Math.cos(Math.PI * t / cycle));
        return (float) (base * (minFactor + (1 - minFactor) * cos));
    }
}
