package io.sluice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Names made of hostile owners and users stay apart, and one's prefix never takes in another's counters. */
class CounterNamesTest {
    @Test
    void ownersAndUsersThatLookLikeSeparatorsOrTheirEncodingsNameDistinctCounters() {
        List<String> names = List.of(CounterNames.user("a/b", "c"), CounterNames.user("a", "b/c"), CounterNames.user("a", "b%2Fc"),
                CounterNames.user("a:day", "c"), CounterNames.user("a", "day:c"), CounterNames.key("a/b"), CounterNames.key("a%2Fb"));
        assertThat(names).doesNotHaveDuplicates();
        assertThat(CounterNames.part("plain-owner_1")).as("an ordinary name is left as it is").isEqualTo("plain-owner_1");
    }

    @Test
    void anEndUsersPeriodsAreNoOtherUsersAndAnOwnersUsersNoOtherOwners() {
        String erased = CounterNames.periodsOf(CounterNames.user("acme", "b"));
        assertThat(CounterNames.user("acme", "b/c") + ":day:2026-12-04").doesNotStartWith(erased);
        assertThat(CounterNames.user("acme", "b:x") + ":day:2026-12-04").doesNotStartWith(erased);
        assertThat(CounterNames.user("acme", "b") + ":day:2026-12-04").startsWith(erased);
        assertThat(CounterNames.user("acme/eu", "b")).doesNotStartWith(CounterNames.usersOf("acme"));
        assertThat(CounterNames.key("acme:eu") + ":day:2026-12-04").doesNotStartWith(CounterNames.periodsOf(CounterNames.key("acme")));
    }
}
