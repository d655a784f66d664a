package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Only one launcher per checkout: an OS file lock on {@code .tally/run/launcher.lock}, which the
 * kernel releases when the launcher dies however it dies, so a crash never leaves a stale lock.
 * The pid file next to it names the holder for the "already running" message and for {@code down}.
 */
public final class LaunchLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final PidFiles pids;

    private LaunchLock(FileChannel channel, FileLock lock, PidFiles pids) {
        this.channel = channel;
        this.lock = lock;
        this.pids = pids;
    }

    /** The lock, or null if another live launcher holds it. */
    public static LaunchLock tryAcquire(StackHome home) {
        try {
            Path file = home.run().resolve("launcher.lock");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new LaunchLock(channel, lock, new PidFiles(home.run()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pid of the launcher that holds (or last held) the lock, from its pid file. */
    public static OptionalLong holder(StackHome home) {
        return new PidFiles(home.run()).read(OwnedProcesses.LAUNCHER);
    }

    public void recordSelf() {
        pids.write(OwnedProcesses.LAUNCHER, ProcessHandle.current().pid());
    }

    @Override
    public void close() {
        try {
            pids.delete(OwnedProcesses.LAUNCHER);
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the process anyway
        }
    }
}
