package io.sluice.testkit.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A labelled support workload for the response cache: 100 FAQ (ten actions on ten things a customer has: "cancel my
 * order", "reset my password", ...), each asked in five phrasings, drawn with a Zipf-like skew (a few questions make
 * most of the traffic, as in support queues) and split between owners; plus multi-turn conversations whose later
 * turns ask FAQ too. Every question carries its FAQ's number, so a cached answer can be checked against what was
 * asked. Deterministic for a seed.
 */
public final class SupportWorkload {
    private static final String[] ACTIONS = {"cancel", "change", "track", "return", "refund", "update", "reset", "delete", "pause", "upgrade"};
    private static final String[] THINGS = {"order", "subscription", "password", "delivery address", "payment method", "account",
            "parcel", "invoice", "plan", "email address"};
    /** Five ways to ask the same thing; the first is the FAQ's own wording. */
    private static final String[] PHRASINGS = {"How do I %s my %s?", "how do i %s my %s", "Hi! How can I %s my %s, please?",
            "I need to %s my %s. How?", "Please tell me how I can %s the %s"};
    public static final int FAQS = ACTIONS.length * THINGS.length;

    /** One question: its FAQ and phrasing, the owner asking, and its text. */
    public record Question(int faq, int phrasing, String owner, String text) {}

    /** A conversation: an opening that is nobody else's, then FAQ asked as later turns. */
    public record Conversation(String owner, String opening, List<Question> turns) {}

    private SupportWorkload() {}

    public static String text(int faq, int phrasing) {
        return PHRASINGS[phrasing].formatted(ACTIONS[faq / THINGS.length], THINGS[faq % THINGS.length]);
    }

    /** {@code count} single questions from the 100 FAQ × 5 phrasings, FAQ drawn by Zipf (s = 1), owners in turn. */
    public static List<Question> questions(int count, List<String> owners, long seed) {
        Random random = new Random(seed);
        double[] cumulative = zipf(FAQS);
        List<Question> questions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int faq = draw(cumulative, random.nextDouble());
            int phrasing = random.nextInt(PHRASINGS.length);
            questions.add(new Question(faq, phrasing, owners.get(i % owners.size()), text(faq, phrasing)));
        }
        return questions;
    }

    /** {@code count} conversations of an opening and {@code turns} FAQ, owners in turn. */
    public static List<Conversation> conversations(int count, int turns, List<String> owners, long seed) {
        Random random = new Random(seed);
        double[] cumulative = zipf(FAQS);
        List<Conversation> conversations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String owner = owners.get(i % owners.size());
            List<Question> asked = new ArrayList<>();
            for (int t = 0; t < turns; t++) {
                int faq = draw(cumulative, random.nextDouble());
                int phrasing = random.nextInt(PHRASINGS.length);
                asked.add(new Question(faq, phrasing, owner, text(faq, phrasing)));
            }
            conversations.add(new Conversation(owner, "Hello, this is customer " + (10_000 + i) + " about ticket " + random.nextInt(1_000_000), asked));
        }
        return conversations;
    }

    private static double[] zipf(int n) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) sum += 1.0 / k;
        double running = 0;
        for (int k = 1; k <= n; k++) {
            running += 1.0 / k / sum;
            cumulative[k - 1] = running;
        }
        return cumulative;
    }

    private static int draw(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length; i++) if (u <= cumulative[i]) return i;
        return cumulative.length - 1;
    }
}
