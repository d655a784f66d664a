package dev.tally.contracts;

/** Kafka topics between the services. The key of every record is the account id, except on the
 *  compacted plans topic, where it is the plan code. A dead-letter topic is the topic name plus
 *  {@code .dlq} and the consuming service, so each consumer's poison messages stay apart. */
public final class Topics {
    public static final String PLANS = "tally.plans.v1";
    public static final String SUBSCRIPTIONS = "tally.subscriptions.v1";
    public static final String CREDITS = "tally.credits.v1";
    public static final String BILLING_COMMANDS = "tally.billing-commands.v1";

    private Topics() {
    }

    public static String deadLetter(String topic, String consumerService) {
        return topic + ".dlq." + consumerService;
    }
}
