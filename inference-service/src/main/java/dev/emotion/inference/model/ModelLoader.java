package dev.emotion.inference.model;

import dev.emotion.core.contract.ModelTrained;
import dev.emotion.core.contract.Task;
import dev.emotion.core.inference.ModelSlot;
import dev.emotion.core.training.TrainedModel;
import dev.emotion.core.view.ModelCatalog;
import dev.emotion.kit.ApiErrors;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Downloads a registered model's artifact (URL from {@code emotion.models.trained}), loads it completely, then swaps
 * it into the {@link ModelSlot}: requests in flight finish on the previous model. Loads run one at a time; a
 * recommendation that arrives while another loads replaces the pending one (only the newest matters).
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    /** What was last tried, for GET /api/v1/model. */
    public record Attempt(String modelId, String state, String error, Instant at) {
    }

    private final ModelSlot slot = new ModelSlot();
    private final ModelCatalog models;
    private final Path dir;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-loader"));
    private final AtomicReference<String> pending = new AtomicReference<>();
    private final AtomicReference<Attempt> last = new AtomicReference<>();

    public ModelLoader(ModelCatalog models, @ConfigProperty(name = "emotion.data-dir") String dataDir) {
        this.models = models;
        this.dir = Path.of(dataDir).resolve("models");
    }

    public ModelSlot slot() {
        return slot;
    }

    public Attempt lastAttempt() {
        return last.get();
    }

    /** Loads in the background; a newer request supersedes one that has not started. */
    public void loadLater(String modelId) {
        if (modelId == null || modelId.equals(slot.modelId())) {
            return;
        }
        if (pending.getAndSet(modelId) != null) {
            return; // a queued load will take the newest id
        }
        try {
            worker.submit(() -> {
                String id = pending.getAndSet(null);
                if (id != null && !id.equals(slot.modelId())) {
                    try {
                        load(id);
                    } catch (RuntimeException e) {
                        LOG.errorf("model %s not loaded: %s", id, e.getMessage());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debugf("shutting down: model %s not loaded", modelId); // a replayed report during shutdown
        }
    }

    /** Loads now (the caller waits) and switches to it; errors say what to do. */
    public synchronized void load(String modelId) {
        last.set(new Attempt(modelId, "loading", null, Instant.now()));
        try {
            ModelTrained m = models.model(modelId).orElseThrow(() -> new ApiErrors.Missing("unknown model",
                    "model '" + modelId + "' was never announced on emotion.models.trained"));
            if (!m.task().predictsEmotions()) {
                throw new ApiErrors.Invalid("not an emotion model", "model '" + modelId + "' predicts "
                        + (m.task() == Task.ATTENTION_REGRESSION ? "attention" : "facial expressions")
                        + " only; serve an emotion_class, emotion_multilabel or affect model");
            }
            long t0 = System.nanoTime();
            TrainedModel model = TrainedModel.open(TrainedModel.download(m.modelId(), m.artifactUrl(), dir));
            slot.swap(model);
            LOG.infof("serving model %s (%s/%s), loaded in %d ms", modelId, m.architecture().id(), m.task().id(),
                    (System.nanoTime() - t0) / 1_000_000);
            last.set(new Attempt(modelId, "loaded", null, Instant.now()));
        } catch (IOException e) {
            last.set(new Attempt(modelId, "failed", e.getMessage(), Instant.now()));
            throw new ApiErrors.Invalid("model not loaded", e.getMessage());
        } catch (RuntimeException e) {
            last.set(new Attempt(modelId, "failed", e.getMessage(), Instant.now()));
            throw e;
        }
    }

    void stop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
        slot.close();
    }
}
