package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One pid file per child under {@code .tally/run}, written as soon as a child starts, so that after
 * a crash of the launcher (kill -9, closed laptop) the next {@code up} or {@code down} can find and
 * stop what it left behind.
 */
public record PidFiles(Path dir) {

    public void write(String name, long pid) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name + ".pid.tmp");
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, file(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OptionalLong read(String name) {
        return readPid(file(name));
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".pid");
    }

    /** The number on the first line of a pid file (our own, or PostgreSQL's postmaster.pid). */
    public static OptionalLong readPid(Path file) {
        try {
            if (!Files.exists(file)) {
                return OptionalLong.empty();
            }
            String first = Files.readAllLines(file).stream().findFirst().orElse("").trim();
            return first.matches("\\d+") ? OptionalLong.of(Long.parseLong(first)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
