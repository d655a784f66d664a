package dev.tally.contracts.plans;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A plan is no longer sold; its versions keep working for their subscribers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanRetired(String code, int latestVersion, Instant retiredAt) {
}
