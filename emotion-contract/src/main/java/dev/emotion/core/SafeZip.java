package dev.emotion.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a zip that came from outside (a model artifact, an uploaded study of stills): no entry may leave the target
 * folder (zip-slip: absolute paths, {@code ..}, backslashes, NUL), at most {@code maxEntries} files and
 * {@code maxBytes} unpacked in all (a zip bomb stops at the cap and its partial file is removed). Folders inside the
 * zip are allowed only where the caller allows them. {@code java.util.zip} checks none of this by itself.
 *
 * @param what       what the zip is, for messages ("model artifact")
 * @param folders    whether entries may lie in sub-folders ({@code a/b.jpg})
 * @param maxEntries the most files
 * @param maxBytes   the most bytes unpacked, all files together
 */
public record SafeZip(String what, boolean folders, int maxEntries, long maxBytes) {

    /** Unpacks {@code zip} into {@code dir} (created); returns {@code dir}. */
    public Path unzip(InputStream zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        byte[] buf = new byte[1 << 16];
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory() && folders) {
                    continue;
                }
                if (!acceptable(name)) {
                    throw new IOException(what + " entry '" + name + "' is not a plain file name"
                            + (folders ? " or a relative path inside the archive" : ""));
                }
                if (++entries > maxEntries) {
                    throw new IOException(what + " holds more than " + maxEntries + " files");
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || (!folders && !target.getParent().equals(root))) {
                    throw new IOException(what + " entry '" + name + "' is not a plain file name");
                }
                Files.createDirectories(target.getParent());
                Path tmp = target.resolveSibling(target.getFileName() + ".part");
                try (var out = Files.newOutputStream(tmp)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > maxBytes) {
                            throw new IOException(what + " unpacks to more than " + maxBytes + " bytes (at entry '"
                                    + name + "')");
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException ex) {
                    Files.deleteIfExists(tmp);
                    throw ex;
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private boolean acceptable(String name) {
        if (name.isEmpty() || name.contains("\\") || name.indexOf('\0') >= 0 || name.startsWith("/")) {
            return false;
        }
        if (!folders && name.contains("/")) {
            return false;
        }
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
