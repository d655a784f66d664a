package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack keeps its state: everything lives under {@code .tally/} at the repository
 * root (git ignores it), so that {@code rm -rf .tally} is a full reset and nothing leaks into
 * the home directory or /tmp.
 */
public record StackHome(Path root) {

    public StackHome {
        root = root.toAbsolutePath().normalize();
    }

    /** The repository root: {@code -Dtally.root} (set by {@code ./tally}), else the working directory. */
    public static StackHome current() {
        return new StackHome(Path.of(System.getProperty("tally.root", ".")));
    }

    public Path state() {
        return root.resolve(".tally");
    }

    /** Dev JWT key pair; its public half is what the services verify tokens with. */
    public Path keys() {
        return state().resolve("keys");
    }

    /** PostgreSQL data directory (kept between runs). */
    public Path pgData() {
        return state().resolve("pg");
    }

    /** Kafka broker data and its generated server.properties. */
    public Path kafka() {
        return state().resolve("kafka");
    }

    /** One folder for every log: launcher, postgres, kafka and each service. */
    public Path logs() {
        return state().resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    /** Pid files and the launcher lock. */
    public Path run() {
        return state().resolve("run");
    }

    public Path serviceJar(TallyService service) {
        return root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path kafkaLibs() {
        return root.resolve("deploy/local-stack/target/kafka-libs");
    }

    public StackHome createDirectories() {
        try {
            for (Path dir : new Path[] {keys(), pgData(), kafka(), logs(), run()}) {
                Files.createDirectories(dir);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
