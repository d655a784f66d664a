package dev.tally.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Entry point of {@code ./tally}: runs the whole suite on one machine with no Docker and no
 * installed database. Commands: up (default), down, status, token.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        StackHome home = StackHome.current();
        int code = switch (command) {
            case "up" -> StackUp.run(home, StackConfig.fromEnv(System.getenv()));
            case "down" -> StackDown.run(home);
            case "status" -> StackStatus.run(home);
            case "token" -> token(home, args);
            default -> usage();
        };
        System.exit(code);
    }

    /** {@code token <account|service|admin> [subject]}: a 12-hour RS256 token the running services accept. */
    private static int token(StackHome home, String[] args) {
        String role = args.length > 1 ? args[1] : "account";
        String subject = switch (role) {
            case "account" -> "acc-demo";
            case "service" -> "product-backend";
            case "admin" -> "ops";
            default -> null;
        };
        if (subject == null) {
            return usage();
        }
        if (args.length > 2) {
            subject = args[2];
        }
        DevKeys keys = DevKeys.loadOrCreate(home.keys());
        System.out.println(DevTokens.mint(keys.privateKey(), subject, List.of(role), Duration.ofHours(12)));
        return 0;
    }

    private static int usage() {
        System.err.println("usage: ./tally [up|down|status|logs <service>|token <account|service|admin> [accountId]]");
        return 64;
    }

    /** The java of the running JVM, so children use the same JDK as the launcher. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
