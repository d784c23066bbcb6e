package dev.emotion.core.models.weights;

import ai.djl.nn.Block;
import dev.emotion.core.ModelFiles;
import dev.emotion.core.models.Backbone;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a backbone's pretrained weights come from and how they get into the DJL block. ImageNet backbones read a
 * safetensors file (torchvision or timm names) from a path or an http(s) URL (downloaded once into a cache directory
 * with progress, sha256-checked when a digest is given); by default they are looked for in
 * {@code $EMOTION_WEIGHTS_DIR} (else {@code <models dir>/imagenet}) as {@code resnet50.safetensors} and
 * {@code vit_b_16.safetensors} / {@code vit_base_patch16_224.safetensors}. The face-api backbones read the TFJS files
 * deploy/models/fetch-models.sh installs.
 */
public final class PretrainedWeights {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private PretrainedWeights() {
    }

    /** No weights where they were looked for; the message says where to put them. */
    public static final class Missing extends WeightImportException {
        public Missing(String message) {
            super(message);
        }
    }

    public static Path imagenetDir() {
        String dir = System.getenv("EMOTION_WEIGHTS_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : ModelFiles.dir().resolve("imagenet");
    }

    /** The files looked for when no location is given, in order. */
    public static List<Path> defaultFiles(Backbone b) {
        return switch (b) {
            case RESNET50 -> List.of(imagenetDir().resolve("resnet50.safetensors"));
            case VIT_B16 -> List.of(imagenetDir().resolve("vit_b_16.safetensors"),
                    imagenetDir().resolve("vit_base_patch16_224.safetensors"));
            case RESNET34_FACES -> List.of(FaceApiLayouts.defaultDir().resolve(FaceApiLayouts.RECOGNITION_MANIFEST));
            case FACE_EXPRESSION -> List.of(FaceApiLayouts.defaultDir().resolve(FaceApiLayouts.EXPRESSION_MANIFEST));
        };
    }

    /** The default weights of {@code b} when present. */
    public static Optional<Path> available(Backbone b) {
        return defaultFiles(b).stream().filter(Files::isRegularFile).findFirst();
    }

    /** One line on how to provide the weights of {@code b}. */
    public static String howToProvide(Backbone b) {
        if (b.offline()) {
            return "run deploy/models/fetch-models.sh (it installs face-api's files into "
                    + FaceApiLayouts.defaultDir() + ")";
        }
        return "put " + (b == Backbone.RESNET50 ? "torchvision/timm resnet50" : "torchvision vit_b_16 or timm "
                + "vit_base_patch16_224") + " weights as safetensors at " + defaultFiles(b).get(0)
                + " or pass --weights <file or URL> (see the README, 'Pretrained weights')";
    }

    /** A backbone's weights, opened once: their tensors and the layout that maps them onto the DJL blocks. */
    public record Weights(TensorSource source, WeightLayout layout) {

        /** Loads every parameter of {@code block} from these weights (all or nothing, see WeightImport). */
        public WeightImport.Report loadInto(Block block) {
            return WeightImport.load(block, source, layout);
        }
    }

    /**
     * Loads the weights of {@code b} into {@code backbone} (initialised). {@code location}: null for the default
     * file, a path (for face-api a manifest or its directory), or an http(s) URL; {@code sha256} is checked when given.
     */
    public static WeightImport.Report load(Backbone b, Block backbone, String location, String sha256, Path cacheDir,
                                           Consumer<String> progress) {
        return open(b, location, sha256, cacheDir, progress).loadInto(backbone);
    }

    /** Finds (downloading when {@code location} is a URL), checks and opens the weights of {@code b}. */
    public static Weights open(Backbone b, String location, String sha256, Path cacheDir,
                               Consumer<String> progress) {
        Path file;
        if (location == null || location.isBlank()) {
            file = available(b).orElseThrow(() -> new Missing("no pretrained weights for backbone " + b.id()
                    + " (looked for " + defaultFiles(b) + "): " + howToProvide(b)
                    + ". To train on random features under the pretrained name anyway, pass --allow-random-init."));
        } else if (location.startsWith("http://") || location.startsWith("https://")) {
            try {
                file = download(location, sha256, cacheDir, progress);
            } catch (IOException e) {
                throw new WeightImportException("cannot download weights from " + location + ": " + e.getMessage()
                        + " (download them on a connected machine and pass the file instead)", e);
            }
        } else {
            file = Path.of(location);
            if (Files.isDirectory(file) && b.offline()) {
                file = file.resolve(b == Backbone.RESNET34_FACES ? FaceApiLayouts.RECOGNITION_MANIFEST
                        : FaceApiLayouts.EXPRESSION_MANIFEST);
            }
            if (!Files.isRegularFile(file)) {
                throw new Missing("weights file " + file + " for backbone " + b.id() + " does not exist: "
                        + howToProvide(b));
            }
        }
        try {
            if (sha256 != null && !sha256.isBlank() && location != null && !location.startsWith("http")) {
                check(file, sha256); // a download was checked as it arrived
            }
            return switch (b) {
                case RESNET50 -> new Weights(TensorSource.safetensors(file), TorchLayouts.resnet());
                case VIT_B16 -> {
                    TensorSource src = TensorSource.safetensors(file);
                    WeightLayout layout = TorchLayouts.detectVit(src.names());
                    if (layout == null) {
                        throw new WeightImportException(file + " holds neither torchvision (conv_proj.weight, "
                                + "class_token) nor timm (patch_embed.proj.weight, cls_token) ViT keys");
                    }
                    yield new Weights(src, layout);
                }
                case RESNET34_FACES -> new Weights(TensorSource.of(file.toString(), TfjsWeights.read(file)),
                        FaceApiLayouts.recognition());
                case FACE_EXPRESSION -> new Weights(TensorSource.of(file.toString(), TfjsWeights.read(file)),
                        FaceApiLayouts.expression());
            };
        } catch (IOException e) {
            throw new WeightImportException(e.getMessage(), e);
        }
    }

    /** Downloads {@code url} into {@code cacheDir} once (a cached copy is reused when its digest fits). */
    public static Path download(String url, String sha256, Path cacheDir, Consumer<String> progress)
            throws IOException {
        String name = url.replaceAll("[?#].*$", "");
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isBlank()) {
            name = "weights.safetensors";
        }
        Path target = cacheDir.resolve((sha256 == null || sha256.isBlank() ? Integer.toHexString(url.hashCode())
                : sha256.toLowerCase(Locale.ROOT).substring(0, Math.min(16, sha256.length()))) + "-" + name);
        if (Files.isRegularFile(target)) {
            if (sha256 != null && !sha256.isBlank()) {
                check(target, sha256);
            }
            progress.accept("weights: using cached " + target);
            return target;
        }
        Files.createDirectories(cacheDir);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            HttpResponse<InputStream> resp = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new IOException("GET " + url + " answered " + resp.statusCode());
            }
            long total = resp.headers().firstValueAsLong("content-length").orElse(-1);
            try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 20];
                long done = 0;
                int lastStep = -1;
                int r;
                while ((r = in.read(buf)) > 0) {
                    out.write(buf, 0, r);
                    done += r;
                    int step = total > 0 ? (int) (done * 10 / total) : (int) (done >> 26);
                    if (step != lastStep) {
                        lastStep = step;
                        progress.accept(String.format(Locale.ROOT, "weights: %s %d MB%s", name, done >> 20,
                                total > 0 ? " of " + (total >> 20) + " MB" : ""));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (sha256 != null && !sha256.isBlank()) {
            try {
                check(part, sha256);
            } catch (WeightImportException e) {
                Files.deleteIfExists(part);
                throw e;
            }
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    static void check(Path file, String sha256) throws IOException {
        String actual = sha256(file);
        if (!actual.equalsIgnoreCase(sha256.trim())) {
            throw new WeightImportException(file + " has sha256 " + actual + ", expected " + sha256
                    + ": the download is damaged or a different file");
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
