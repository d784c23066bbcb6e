package dev.emotion.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gradient holding Inf or NaN (one overflowing batch) must not reach the weights: the update is skipped and the
 * gradient buffers are zeroed for real, so the next batch trains normally.
 */
class NonFiniteGradientTest {

    @Test
    void anOverflowingGradientIsSkippedAndLeavesNothingBehind() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -2f, 3f, 0.5f}, new ai.djl.ndarray.types.Shape(2, 2));
            w.setRequiresGradient(true);
            List<NDArray> params = List.of(w);
            AdamW opt = new AdamW(m, params, 0.05f);
            // a backward pass gives the weights a gradient buffer (as in training), which the test then fills
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                gc.backward(w.mul(2f).sum());
            }
            assertArrayEquals(new float[] {2f, 2f, 2f, 2f}, w.getGradient().toFloatArray());
            m.create(new float[] {Float.POSITIVE_INFINITY, 1f, Float.NaN, 0f}, w.getShape()).copyTo(w.getGradient());
            assertFalse(Trainer.clip(params, 1f), "a gradient with Inf/NaN has no finite norm");
            float[] before = w.toFloatArray();
            opt.zeroGradients(); // what the trainer does instead of an update
            assertArrayEquals(before, w.toFloatArray(), "the weights are untouched");
            assertArrayEquals(new float[4], w.getGradient().toFloatArray(), "the gradient is zero, not NaN");
            assertEquals(0, opt.step(), "no optimizer step counted");

            // The next, ordinary batch trains: finite norm, clipped to 1, and an update that moves the weights.
            m.create(new float[] {3f, 0f, 4f, 0f}, w.getShape()).copyTo(w.getGradient());
            assertTrue(Trainer.clip(params, 1f));
            assertArrayEquals(new float[] {0.6f, 0f, 0.8f, 0f}, w.getGradient().toFloatArray(), 1e-5f,
                    "clipped to norm 1");
            opt.update(0.01f);
            for (float x : w.toFloatArray()) {
                assertTrue(Float.isFinite(x));
            }
            assertTrue(w.toFloatArray()[0] < 1f, "moved against its gradient");
            assertArrayEquals(new float[4], w.getGradient().toFloatArray(), "zeroed after the update");

            // A huge but finite gradient (its square overflows float32) is clipped, not skipped.
            m.create(new float[] {3e20f, 0f, -4e20f, 0f}, w.getShape()).copyTo(w.getGradient());
            assertTrue(Trainer.clip(params, 1f), "finite gradients are clipped even when their squares overflow");
            assertArrayEquals(new float[] {0.6f, 0f, -0.8f, 0f}, w.getGradient().toFloatArray(), 1e-5f);
            opt.zeroGradients();

            // Even a buffer that is NaN throughout comes back as zeros (g - g would stay NaN).
            m.create(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, w.getShape()).copyTo(w.getGradient());
            opt.zeroGradients();
            assertArrayEquals(new float[4], w.getGradient().toFloatArray());
        }
    }
}
