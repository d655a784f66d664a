package dev.tally.e2e.web;

import dev.tally.e2e.Processes;
import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged web module as one more process beside the Suite's four services, started once per
 * test JVM: it calls them server-side and signs in with the tests' dev key (the dev login).
 */
public final class WebApp {
    private static String url;

    private WebApp() {
    }

    public static synchronized String url() {
        if (url == null) {
            url = start(Suite.get());
        }
        return url;
    }

    private static String start(Suite suite) {
        Path root = Path.of(System.getProperty("tally.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("web/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the web module first (./mvnw -B verify builds it)");
        }
        int port = Processes.freePort();
        Path log = root.resolve("e2e/target/e2e-logs/web.log");
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("TALLY_PLANS_URL", suite.url(Service.PLANS));
        env.put("TALLY_SUBSCRIPTIONS_URL", suite.url(Service.SUBSCRIPTIONS));
        env.put("TALLY_CREDITS_URL", suite.url(Service.CREDITS));
        env.put("TALLY_SCHEDULER_URL", suite.url(Service.SCHEDULER));
        env.put("TALLY_WEB_DEV_LOGIN_KEYS", TestTokens.publicKeyPem().getParent().toString());
        env.put("TALLY_WEB_PUBLIC_URL", "http://127.0.0.1:" + port);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the web module", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        String base = "http://127.0.0.1:" + port;
        awaitReady(base, process, log);
        return base;
    }

    private static void awaitReady(String base, Process process, Path log) {
        if (!Processes.awaitReady(base, Duration.ofMinutes(2), process::isAlive)) {
            throw new IllegalStateException("the web module did not become ready; see " + log);
        }
    }
}
