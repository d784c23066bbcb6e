package dev.emotion.training.jobs;

import dev.emotion.core.FileNames;
import dev.emotion.core.contract.Contracts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The model registry's files: {@code models/<modelId>/} holds {@code model.params} (DJL parameters of the best
 * epoch) and {@code model.json} (architecture, task, input size, normalisation, labels, config, metrics), served as
 * one zip so other services need no shared disk.
 */
public final class ModelArtifacts {

    private final Path root;

    public ModelArtifacts(Path root) {
        this.root = root;
    }

    public Path dir(String modelId) {
        return root.resolve(FileNames.safe(modelId));
    }

    public void store(String modelId, Path params, Map<String, Object> description) {
        Path dir = dir(modelId);
        try {
            Files.createDirectories(dir);
            Files.copy(params, dir.resolve("model.params"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path baseline = params.resolveSibling(dev.emotion.core.training.Trainer.BASELINE_FILE);
            if (Files.isRegularFile(baseline)) { // the cold-start baseline of a model trained on baselines
                Files.copy(baseline, dir.resolve(baseline.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(dir.resolve("model.json"), Contracts.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(description));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store model " + modelId + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String modelId) {
        return Files.isRegularFile(dir(modelId).resolve("model.params"));
    }

    public void zip(String modelId, OutputStream out) throws IOException {
        Path dir = dir(modelId);
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }
}
