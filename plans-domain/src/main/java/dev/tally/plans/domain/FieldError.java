package dev.tally.plans.domain;

/** One thing wrong with a submitted plan: which field, a stable code, and a sentence for people. */
public record FieldError(String field, String code, String message) {
}
