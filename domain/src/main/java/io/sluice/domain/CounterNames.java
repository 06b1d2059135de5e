package io.sluice.domain;

/**
 * The parts of a budget or rate-limit counter's name that come from outside (an owner, an end user): {@code /} and
 * {@code :} separate a name's parts ({@code user:acme/alice:day:2026-11-23}), so within a part they are
 * percent-encoded, and so is {@code %}. Without it, owner {@code a/b} with user {@code c} and owner {@code a} with user
 * {@code b/c} shared one counter, and one owner's report or erasure reached the other's.
 */
public final class CounterNames {
    private CounterNames() {}

    public static String part(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('/') < 0 && value.indexOf(':') < 0) return value;
        return value.replace("%", "%25").replace("/", "%2F").replace(":", "%3A");
    }

    /** {@code user:<owner>/<user>}: the counter name of an end user of an owner, before its period. */
    public static String user(String owner, String user) {
        return "user:" + part(owner) + "/" + part(user);
    }

    /** {@code key:<owner>}: the counter name of an owner's keys together, before its period. */
    public static String key(String owner) {
        return "key:" + part(owner);
    }
}
