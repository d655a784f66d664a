package dev.tally.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.tally.contracts.billing.PeriodEnded;
import java.time.Instant;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventsTest {

    @Test
    void everyEventTypeNameIsUniqueAndResolvesBackToItself() {
        var names = new HashSet<String>();
        for (EventType<?> type : Events.ALL) {
            assertTrue(names.add(type.name()), "duplicate " + type.name());
            assertEquals(type, Events.byName(type.name()).orElseThrow());
        }
    }

    @Test
    void eventTypeNamesMustBeLowercaseDotted() {
        assertThrows(IllegalArgumentException.class, () -> new EventType<>("PeriodEnded", Topics.BILLING_COMMANDS, PeriodEnded.class));
    }

    @Test
    void aPayloadWithFieldsThisBuildDoesNotKnowStillDecodes() throws Exception {
        var json = """
                {"subscriptionId":"%s","accountId":"acc-1","periodStart":"2026-01-31T00:00:00Z",
                 "periodEnd":"2026-02-28T00:00:00Z","addedInALaterVersion":{"x":1}}""".formatted(UUID.randomUUID());
        var mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        var decoded = mapper.readValue(json, PeriodEnded.class);
        assertEquals("acc-1", decoded.accountId());
        assertEquals(Instant.parse("2026-02-28T00:00:00Z"), decoded.periodEnd());
    }
}
