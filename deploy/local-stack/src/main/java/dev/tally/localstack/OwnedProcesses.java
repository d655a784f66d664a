package dev.tally.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a pid left in a pid file is still one of ours. Pids are reused by the OS, so a
 * leftover is only ever signalled when its command line proves it belongs to this checkout: the
 * quarkus-run.jar of a Tally module, kafka.Kafka with our .tally config, postgres on our data dir.
 */
public final class OwnedProcesses {
    public static final String LAUNCHER = "launcher";
    public static final String KAFKA = "kafka";
    public static final String POSTGRES = "postgres";

    private OwnedProcesses() {
    }

    /** True if {@code argv} is the process the stack would have started under {@code name}. */
    public static boolean isOurs(String name, List<String> argv, StackHome home) {
        if (argv.isEmpty()) {
            return false;
        }
        TallyService service = TallyService.byModule(name);
        if (service != null) {
            return argv.contains("-jar") && argv.contains(home.serviceJar(service).toString());
        }
        switch (name) {
            case LAUNCHER:
                return argv.contains(LocalStack.class.getName()) && argv.contains("-Dtally.root=" + home.root());
            case KAFKA:
                return argv.contains("kafka.Kafka")
                        && argv.contains(home.kafka().resolve(KafkaBroker.SERVER_PROPERTIES).toString());
            case POSTGRES:
                String exe = argv.get(0);
                return (exe.equals("postgres") || exe.endsWith("/postgres"))
                        && argv.indexOf("-D") >= 0 && argv.indexOf("-D") + 1 < argv.size()
                        && Path.of(argv.get(argv.indexOf("-D") + 1)).toAbsolutePath().normalize().equals(home.pgData());
            default:
                return false;
        }
    }

    /** The live process with this pid, if it is still ours. */
    public static Optional<ProcessHandle> liveAndOurs(String name, long pid, StackHome home) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> isOurs(name, commandLine(p), home));
    }

    /** The full argv: /proc/pid/cmdline on Linux (never truncated), else what the JDK can see. */
    public static List<String> commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", String.valueOf(process.pid()), "cmdline");
        if (Files.isReadable(proc)) {
            try {
                String raw = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
                List<String> argv = new ArrayList<>();
                for (String arg : raw.split("\0")) {
                    if (!arg.isEmpty()) {
                        argv.add(arg);
                    }
                }
                return argv;
            } catch (IOException e) {
                return List.of();
            }
        }
        List<String> argv = new ArrayList<>();
        process.info().command().ifPresent(argv::add);
        process.info().arguments().ifPresent(a -> argv.addAll(List.of(a)));
        return argv;
    }
}
