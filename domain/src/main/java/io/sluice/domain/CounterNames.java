package io.sluice.domain;

/**
 * Budget and rate-limit counters' names, made in one place: {@code <scope>:<subject>} and, for a budget,
 * {@code :<period>} after it ({@code user:acme/alice:day:2026-11-23}). {@code /} and {@code :} separate a name's
 * parts, so within a part that comes from outside (an owner, an end user) they are percent-encoded, and so is
 * {@code %}. Without it, owner {@code a/b} with user {@code c} and owner {@code a} with user {@code b/c} shared one
 * counter, and one owner's report or erasure reached the other's.
 */
public final class CounterNames {
    private CounterNames() {}

    public static String part(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('/') < 0 && value.indexOf(':') < 0) return value;
        return value.replace("%", "%25").replace("/", "%2F").replace(":", "%3A");
    }

    /** {@code user:<owner>/}: what the names of every end user of an owner begin with. */
    public static String usersOf(String owner) {
        return "user:" + part(owner) + "/";
    }

    /** {@code user:<owner>/<user>}: the counter name of an end user of an owner, before its period. */
    public static String user(String owner, String user) {
        return usersOf(owner) + part(user);
    }

    /** {@code key:<owner>}: the counter name of an owner's keys together, before its period. */
    public static String key(String owner) {
        return "key:" + part(owner);
    }

    /** {@code apikey:<id>}: the counter name of one API key (its id is the gateway's own), before its period. */
    public static String apiKey(String keyId) {
        return "apikey:" + part(keyId);
    }

    /** {@code conversation:<id>}: the counter name of one conversation, before its period. */
    public static String conversation(String conversationId) {
        return "conversation:" + part(conversationId);
    }

    /** What the names of every period of the counter {@code name} begin with. */
    public static String periodsOf(String name) {
        return name + ":";
    }
}
