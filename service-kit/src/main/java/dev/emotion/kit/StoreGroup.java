package dev.emotion.kit;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives a service's sample-store consumer (channel {@code ingest-frames}) a group id that belongs to the store
 * directory ({@code store.id} inside it): the same directory resumes from its committed offsets, an empty one gets a
 * new group and replays the topic. A service opts in by listing this class in its own
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; {@code emotion.store-group-prefix} names the group.
 */
public class StoreGroup implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue dir = context.getValue("emotion.data-dir");
        Path root = Path.of(dir == null || dir.getValue() == null ? "data" : dir.getValue());
        ConfigValue prefix = context.getValue("emotion.store-group-prefix");
        String group = prefix == null || prefix.getValue() == null ? "store" : prefix.getValue();
        Path idFile = root.resolve("store").resolve("store.id");
        try {
            Files.createDirectories(idFile.getParent());
            if (!Files.isRegularFile(idFile)) {
                Files.writeString(idFile, UUID.randomUUID().toString());
            }
            String id = Files.readString(idFile).trim();
            return List.of(new PropertiesConfigSource(Map.of(
                    "mp.messaging.incoming.ingest-frames.group.id", group + "-" + id), "store-group", 275));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + idFile + ": " + e.getMessage(), e);
        }
    }
}
