package dev.emotion.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emotion.cli.Main;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless Chromium, driven through Debian's chromedriver) against the
 * four packaged services and console-service running as processes on the real broker. A user's path, through the
 * pages only: upload a rendered study (videos + iMotions CSVs) and watch each ingest job reach completed over SSE;
 * start a 2-epoch training and see its curve drawn epoch by epoch; evaluate and open the embedded report; score a
 * held-out video in live scoring, with the participant's AFFDEX export beside it, until the timeline has its points
 * and face boxes are drawn on the playing video;
 * webcam mode on Chromium's fake camera playing a rendered participant, answered over the WebSocket with live boxes
 * and the latency shown. Every page must leave no
 * error in the browser's console; each step saves a screenshot (target/console-screenshots).
 */
class ConsoleBrowserTest {

    static final Map<String, Process> PROCESSES = new LinkedHashMap<>();
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    static Path home;
    static Path shots;
    static WebDriver browser;
    static String study;
    static Path dir;
    static Path camera;

    static String url(String svc) {
        return "http://localhost:" + PORTS.get(svc);
    }

    @BeforeAll
    static void startEverything() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        home = Path.of("target", "console-" + run).toAbsolutePath();
        shots = Path.of("target", "console-screenshots").toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(shots);
        // each port is picked just before its process starts: picked all at once, a port could be taken meanwhile
        // by the outgoing connections of the services started first (seen: "Port ... seems to be in use")
        for (String svc : List.of("ingest", "training", "evaluation", "inference")) {
            PORTS.put(svc, EndToEndTest.freePort());
            PROCESSES.put(svc, TrainingFailoverTest.startService(svc, svc + "-" + run, PORTS.get(svc),
                    home.resolve("data").resolve(svc), svc + "-workers-console-" + run, home));
        }
        Path jar = Path.of("..", "console-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " missing: package console-service first (mvn verify does)");
        PORTS.put("console", EndToEndTest.freePort());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString());
        pb.environment().put("EMOTION_HTTP_PORT", String.valueOf(PORTS.get("console")));
        for (String svc : List.of("ingest", "training", "evaluation", "inference")) {
            pb.environment().put(svc.toUpperCase(java.util.Locale.ROOT) + "_URL", url(svc));
        }
        pb.redirectErrorStream(true).redirectOutput(home.resolve("logs").resolve("console.log").toFile());
        PROCESSES.put("console", pb.start());
        for (String svc : PORTS.keySet()) {
            String check = svc.equals("inference") ? "/q/health/live" : "/q/health/ready";
            await(svc + " up", 120, () -> EndToEndTest.status(url(svc) + check) == 200);
        }
        // the study the test uploads, and its first participant as the fake camera's picture
        study = "console-" + run;
        dir = home.resolve("study");
        assertEquals(0, Main.run(new String[] {"synth", "--participants", "5", "--seconds", "6", "--out",
                dir.toString(), "--study", study}));
        camera = home.resolve("camera.y4m");
        toY4m(dir.resolve("p01.mp4"), camera, 90);
        browser = chromium();
    }

    /** The first frames of a video as a YUV4MPEG2 file, the format Chromium's fake camera plays (in a loop). */
    static void toY4m(Path video, Path y4m, int frames) throws Exception {
        try (FFmpegFrameGrabber in = new FFmpegFrameGrabber(video.toFile())) {
            in.start();
            try (FFmpegFrameRecorder out = new FFmpegFrameRecorder(y4m.toFile(), in.getImageWidth(),
                    in.getImageHeight())) {
                out.setFormat("yuv4mpegpipe");
                out.setVideoCodec(avcodec.AV_CODEC_ID_RAWVIDEO);
                out.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                out.setFrameRate(in.getFrameRate());
                out.start();
                for (int i = 0; i < frames; i++) {
                    Frame f = in.grabImage();
                    if (f == null) {
                        break;
                    }
                    out.record(f);
                }
                out.stop();
            }
        }
    }

    /** Debian's chromium and chromedriver (./emotion test installs them), headless, offline, with a fake camera. */
    static WebDriver chromium() throws Exception {
        File driver = new File(System.getProperty("emotion.chromedriver", "/usr/bin/chromedriver"));
        File binary = new File(System.getProperty("emotion.chromium", "/usr/bin/chromium"));
        assertTrue(driver.canExecute() && binary.canExecute(), "Debian's chromium and chromium-driver are needed ("
                + driver + ", " + binary + "): ./emotion test installs them");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--window-size=1400,1200", "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + camera,
                "--user-data-dir=" + Files.createTempDirectory(home, "chromium"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().withLogFile(home.resolve("logs").resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        EndToEndTest.stopAll(PROCESSES.values());
        Path data = home == null ? null : home.resolve("data");
        if (data != null && Files.isDirectory(data)) {
            try (var walk = Files.walk(data)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Waits for an HTTP-side condition, failing at once when one of the processes has exited. */
    static void await(String what, int seconds, EndToEndTest.Check check) throws Exception {
        EndToEndTest.await(PROCESSES, home.resolve("logs"), what, seconds, check);
    }

    static void open(String hash) {
        browser.get(url("console") + "/#/" + hash);
    }

    static WebElement waitFor(String what, int seconds, java.util.function.Function<WebDriver, WebElement> found) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250))
                    .ignoring(StaleElementReferenceException.class).withMessage(what).until(found);
        } catch (RuntimeException e) {
            shot("failed-" + what.replaceAll("[^a-z0-9]+", "-"));
            throw e;
        }
    }

    static void until(String what, int seconds, java.util.function.Function<WebDriver, Boolean> ok) {
        try {
            // a page re-renders its panels as events arrive: an element found a moment ago may be replaced
            new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(250))
                    .ignoring(StaleElementReferenceException.class).withMessage(what).until(ok);
        } catch (RuntimeException e) {
            shot("failed-" + what.replaceAll("[^a-z0-9]+", "-"));
            throw new AssertionError("waiting for " + what + ": " + e.getClass().getSimpleName() + " (screenshot in "
                    + shots + ", logs in " + home.resolve("logs") + ")", e);
        }
    }

    static int intAttribute(String css, String attribute) {
        List<WebElement> e = browser.findElements(By.cssSelector(css));
        if (e.isEmpty() || e.get(0).getAttribute(attribute) == null) {
            return 0;
        }
        return Integer.parseInt(e.get(0).getAttribute(attribute));
    }

    static void shot(String name) {
        try {
            byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(shots.resolve(name + ".png"), png);
        } catch (Exception ignored) {
            // a screenshot is a help, never the failure
        }
    }

    /** Fails on any error the page wrote to the browser's console since the last call. */
    static void noConsoleErrors(String page) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors, "errors in the browser's console on the " + page + " page");
    }

    @Test
    void aStudyFromUploadToLiveScoringThroughThePages() throws Exception {

        // 1. Studies: upload the ten files at once; every job reaches completed over SSE
        open("studies");
        waitFor("the upload form", 30, d -> d.findElement(By.id("upload-study"))).sendKeys(study);
        WebElement fps = browser.findElement(By.id("upload-fps"));
        fps.clear();
        fps.sendKeys("10");
        String files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".mp4") || p.toString().endsWith(".csv")).sorted()
                    .map(Path::toString).collect(Collectors.joining("\n"));
        }
        browser.findElement(By.id("upload-files")).sendKeys(files);
        until("five participants paired", 10, d -> d.findElements(By.cssSelector("#upload-pairs select")).size() == 5);
        browser.findElement(By.id("upload-go")).click();
        until("five ingest jobs completed", 240, d -> d.findElements(By.cssSelector(
                "#upload-jobs .job[data-state=completed]")).size() == 5);
        until("the study listed", 30, d -> !d.findElements(By.linkText(study)).isEmpty());
        shot("studies");
        noConsoleErrors("studies");

        // training-service has stored the study (from Kafka) before a training can start
        await("training-service stores " + study, 180, () -> {
            JsonNode d = TrainingFailoverTest.get(url("training") + "/api/v1/datasets/" + study);
            return d.path("trainable").asBoolean() && d.path("storedSamples").path("test").asInt() > 0;
        });

        // 2. Trainings: cnn_simple for 2 epochs from the form; the curve gets both epochs
        open("trainings/" + study);
        waitFor("the training form", 30, d -> d.findElement(By.id("train-model")));
        until("the defaults shown", 30, d -> d.findElement(By.id("train-defaults")).getText().contains("Defaults"));
        new Select(browser.findElement(By.id("train-model"))).selectByValue("cnn_simple");
        until("cnn_simple's defaults", 30, d -> d.findElement(By.id("train-defaults")).getText()
                .contains("cnn_simple"));
        browser.findElement(By.id("train-epochs")).sendKeys("2");
        browser.findElement(By.id("train-go")).click();
        until("two epochs drawn", 300, d -> intAttribute("#curve-chart", "data-points") >= 2
                && d.findElement(By.id("curve-status")).getText().startsWith("completed"));
        shot("trainings");
        noConsoleErrors("trainings");

        // 3. Models and evaluations: evaluate from the page, the report embedded
        open("models/" + study);
        waitFor("the evaluate button", 30, d -> d.findElement(By.id("evaluate-go"))).click();
        until("the report embedded", 300, d -> !d.findElements(By.id("report-frame")).isEmpty()
                && d.findElement(By.id("recommendation")).getText().startsWith("No model recommended"));
        browser.switchTo().frame(browser.findElement(By.id("report-frame")));
        until("the report's page", 30, d -> d.findElement(By.tagName("body")).getText().contains(study));
        browser.switchTo().defaultContent();
        shot("models");
        noConsoleErrors("models");

        // 4. Live scoring: a held-out video, the timeline filling in, boxes drawn on the playing video
        JsonNode report = TrainingFailoverTest.get(url("evaluation") + "/api/v1/reports/" + study);
        // 2 epochs and no baseline beside it: nothing recommended, so the model is switched to by hand
        String recommended = report.path("models").get(0).path("modelId").asText();
        java.net.http.HttpResponse<String> switched = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("inference") + "/api/v1/model"))
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"modelId\":\"" + recommended
                                + "\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, switched.statusCode(), switched.body());
        await("inference-service serves " + recommended, 180, () -> recommended.equals(
                TrainingFailoverTest.get(url("inference") + "/api/v1/model").path("loadedModelId").asText()));
        String participant = report.path("models").get(0).path("participants").get(0).asText();
        open("live");
        waitFor("the video input", 30, d -> d.findElement(By.id("live-file")))
                .sendKeys(dir.resolve(participant + ".mp4").toString());
        // the participant's AFFDEX export, read by ingest-service, drawn beside the model's trace
        browser.findElement(By.id("live-labels")).sendKeys(dir.resolve(participant + ".csv").toString());
        until("the AFFDEX labels read", 30, d -> d.findElement(By.id("live-status")).getText()
                .startsWith("AFFDEX labels:"));
        browser.findElement(By.id("live-go")).click();
        until("the timeline has 20 points", 120, d -> intAttribute("#live-timeline", "data-points") >= 20);
        assertTrue(intAttribute("#live-timeline", "data-affdex") >= 20, "the AFFDEX trace is drawn");
        until("face boxes drawn on the video", 60, d -> intAttribute("#live-boxes", "data-boxes") >= 1);
        shot("live");
        noConsoleErrors("live");

        // 5. Webcam mode: Chromium's fake camera playing a rendered participant, frames over the WebSocket, live
        // boxes and the latency measured
        browser.findElement(By.id("mode-webcam")).click();
        browser.findElement(By.id("webcam-start")).click();
        until("predictions from the camera's frames", 60, d -> d.findElement(By.id("webcam-latency")).getText()
                .contains("frame -> prediction"));
        until("a rolling timeline", 30, d -> intAttribute("#webcam-timeline", "data-points") >= 3);
        until("live boxes on the camera's face", 30, d -> intAttribute("#webcam-boxes", "data-boxes") >= 1);
        shot("webcam");
        noConsoleErrors("webcam");

        // the screenshots docs/ shows come from this run (copied there by hand when the pages change)
        for (String name : List.of("studies", "trainings", "models", "live", "webcam")) {
            assertTrue(Files.size(shots.resolve(name + ".png")) > 10_000, name + ".png");
        }
    }
}
