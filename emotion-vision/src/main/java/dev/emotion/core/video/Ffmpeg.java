package dev.emotion.core.video;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's own logging: errors only, so container dumps and encoder chatter stay out of service logs. */
public final class Ffmpeg {

    private static volatile boolean quiet;

    private Ffmpeg() {
    }

    public static void quiet() {
        if (!quiet) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            quiet = true;
        }
    }
}
