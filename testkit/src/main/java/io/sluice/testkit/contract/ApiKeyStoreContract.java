package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.ports.out.ApiKeyStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} must do. Each test uses keys of its own. */
public abstract class ApiKeyStoreContract {
    protected abstract ApiKeyStore store();

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private ApiKey create(KeyPolicy policy, String hash) {
        ApiKey key = new ApiKey("key_" + UUID.randomUUID(), "owner-" + UUID.randomUUID(), "ci", NOW, Optional.empty(), policy);
        store().create(key, hash).toCompletableFuture().join();
        return key;
    }

    private Optional<ApiKey> find(String hash) {
        return store().findByHash(hash).toCompletableFuture().join();
    }

    @Test
    void aKeyIsFoundByItsHashWithItsPolicyExactly() {
        KeyPolicy policy = new KeyPolicy(Optional.of("support"), Optional.of(new ContextStrategy.SlidingWindow(6)), Optional.of("fast"),
                60, 20_000, Map.of(Budget.Period.DAY, new BigDecimal("5.25"), Budget.Period.TOTAL, new BigDecimal("0.000000001")), 8_000,
                Optional.of(java.time.Duration.ofMinutes(10)), Optional.of(new io.sluice.domain.sla.FallbackReply(Map.of("default", "We are busy.",
                        "vi", "Chúng tôi đang bận; \"nhân viên\" sẽ trả lời bạn sớm."), java.util.Set.of(io.sluice.domain.sla.FallbackReply.Failure.BUDGET))),
                Optional.of("vi-VN"), io.sluice.domain.limits.Priority.HIGH, true);
        String hash = UUID.randomUUID().toString();
        ApiKey key = create(policy, hash);
        ApiKey found = find(hash).orElseThrow();
        assertThat(found.id()).isEqualTo(key.id());
        assertThat(found.owner()).isEqualTo(key.owner());
        assertThat(found.policy().route()).contains("support");
        assertThat(found.policy().strategy()).contains(new ContextStrategy.SlidingWindow(6));
        assertThat(found.policy().tier()).contains("fast");
        assertThat(found.policy().rpm()).isEqualTo(60);
        assertThat(found.policy().tpm()).isEqualTo(20_000);
        assertThat(found.policy().responseCacheTtl()).contains(java.time.Duration.ofMinutes(10));
        assertThat(found.policy().fallbackReply()).isEqualTo(policy.fallbackReply());
        assertThat(found.policy().locale()).contains("vi-VN");
        assertThat(found.policy().priority()).isEqualTo(io.sluice.domain.limits.Priority.HIGH);
        assertThat(found.policy().priorityHeader()).isTrue();
        assertThat(found.policy().budgets()).containsOnlyKeys(Budget.Period.DAY, Budget.Period.TOTAL);
        assertThat(found.policy().budgets().get(Budget.Period.DAY)).isEqualByComparingTo("5.25");
        assertThat(found.policy().budgets().get(Budget.Period.TOTAL)).isEqualByComparingTo("0.000000001");
        assertThat(find(UUID.randomUUID().toString())).isEmpty();
        assertThat(store().find(key.id()).toCompletableFuture().join()).as("by id").get()
                .satisfies(byId -> assertThat(byId.policy()).isEqualTo(found.policy()));
        assertThat(store().find("key_" + UUID.randomUUID()).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void aPolicyCanBeReplacedAndAKeyWithoutOneHasNone() {
        String hash = UUID.randomUUID().toString();
        ApiKey key = create(KeyPolicy.NONE, hash);
        assertThat(find(hash).orElseThrow().policy()).isEqualTo(KeyPolicy.NONE);
        KeyPolicy limited = new KeyPolicy(Optional.empty(), Optional.empty(), Optional.empty(), 5, 0, Map.of(Budget.Period.MONTH, BigDecimal.TEN));
        assertThat(store().setPolicy(key.id(), limited).toCompletableFuture().join()).isTrue();
        assertThat(find(hash).orElseThrow().policy().rpm()).isEqualTo(5);
        assertThat(find(hash).orElseThrow().policy().budgets().get(Budget.Period.MONTH)).isEqualByComparingTo("10");
        assertThat(store().setPolicy("key_" + UUID.randomUUID(), limited).toCompletableFuture().join()).as("no such key").isFalse();
    }

    @Test
    void aRevokedKeyIsStillFoundAndSaysSo() {
        String hash = UUID.randomUUID().toString();
        ApiKey key = create(KeyPolicy.NONE, hash);
        assertThat(store().revoke(key.id(), NOW.plusSeconds(5)).toCompletableFuture().join()).isTrue();
        assertThat(find(hash).orElseThrow().active()).isFalse();
        assertThat(store().revoke("key_" + UUID.randomUUID(), NOW).toCompletableFuture().join()).isFalse();
    }
}
