package dev.tally.subscriptions.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.domain.RuleCode;
import dev.tally.subscriptions.domain.SubscriptionRuleViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleProblemsTest {

    private static Problem refusal(RuleCode rule) {
        return assertThrows(ProblemException.class, () -> RuleProblems.decide(() -> {
            throw new SubscriptionRuleViolation(rule, "refused");
        })).problem();
    }

    @Test
    void aRefusedChangeNamesTheFieldsItIsAbout() {
        assertEquals(List.of("interval"), refusal(RuleCode.INTERVAL_NOT_OFFERED).errors().stream().map(Problem.FieldError::field).toList());
        assertEquals(List.of("planCode", "interval"), refusal(RuleCode.SAME_PLAN).errors().stream().map(Problem.FieldError::field).toList());
        assertEquals(List.of("timing"), refusal(RuleCode.TIMING_NOT_ALLOWED).errors().stream().map(Problem.FieldError::field).toList());
        assertEquals(422, refusal(RuleCode.INTERVAL_NOT_OFFERED).status());
        assertEquals("interval_not_offered", refusal(RuleCode.INTERVAL_NOT_OFFERED).errors().get(0).code());
    }

    @Test
    void aRefusalAboutNoFieldNamesNone() {
        Problem p = refusal(RuleCode.PENDING_CHANGE_BLOCKS_CANCEL);
        assertEquals(409, p.status());
        assertEquals(List.of(), p.errors());
    }
}
