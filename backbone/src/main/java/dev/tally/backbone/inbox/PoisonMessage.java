package dev.tally.backbone.inbox;

/** A message that can never be applied (unreadable, or rejected by its handler): it goes to the dead-letter topic at once. */
public class PoisonMessage extends RuntimeException {
    public PoisonMessage(String message, Throwable cause) {
        super(message, cause);
    }

    public PoisonMessage(String message) {
        super(message);
    }
}
