package dev.tally.web;

import dev.tally.localstack.DevKeys;
import dev.tally.localstack.DevTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * On the local stack only: signs in as any account (or as support) by minting a token with the
 * stack's dev key, exactly as {@code ./tally token} does. Off unless {@code tally.web.dev-login-keys}
 * names the folder of that key (./tally up sets it); production pastes a real token instead.
 */
@ApplicationScoped
public class DevLogin {
    private final Optional<DevKeys> keys;

    public DevLogin(@ConfigProperty(name = "tally.web.dev-login-keys") Optional<String> folder) {
        this.keys = folder.filter(f -> !f.isBlank()).map(f -> DevKeys.loadOrCreate(Path.of(f)));
    }

    public boolean enabled() {
        return keys.isPresent();
    }

    public String account(String accountId) {
        return mint(accountId, "account");
    }

    public String support() {
        return mint("support-console", "admin");
    }

    private String mint(String subject, String role) {
        DevKeys k = keys.orElseThrow(() -> new Refusal(403, "dev_login_off", "dev login is off here: paste a token"));
        return DevTokens.mint(k.privateKey(), subject, List.of(role), Duration.ofHours(12));
    }
}
