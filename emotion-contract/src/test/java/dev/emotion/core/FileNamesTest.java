package dev.emotion.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNamesTest {

    @TempDir
    Path tmp;

    @Test
    void pathsThatLeaveTheRootAsWrittenOrThroughALinkAreOutside() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("data"));
        Path outside = Files.createDirectories(tmp.resolve("secret"));
        Files.writeString(outside.resolve("keys.txt"), "x");
        Files.writeString(root.resolve("video.mp4"), "v");
        Files.createDirectories(root.resolve("study/p01"));
        assertTrue(FileNames.within(root, root.resolve("video.mp4")));
        assertTrue(FileNames.within(root, root.resolve("study/p01/not-yet-written.csv")), "a file to be written");
        assertTrue(FileNames.within(root, root.resolve("study/../video.mp4")));
        assertFalse(FileNames.within(root, root.resolve("../secret/keys.txt")));
        assertFalse(FileNames.within(root, root.resolve("study/../../secret/keys.txt")));
        assertFalse(FileNames.within(root, Path.of("/etc/passwd")));
        // a link inside the root that leads out of it
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("keys.txt"), outside.resolve("keys.txt"));
        assertFalse(FileNames.within(root, root.resolve("link/keys.txt")));
        assertFalse(FileNames.within(root, root.resolve("keys.txt")));
        assertFalse(FileNames.within(root, root.resolve("link/new-file")), "writing through the link");
        // a link that stays inside is fine
        Files.createSymbolicLink(root.resolve("alias.mp4"), root.resolve("video.mp4"));
        assertTrue(FileNames.within(root, root.resolve("alias.mp4")));
    }
}
