package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.engine.limits.RateLimits;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What operators load: the Prometheus alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}: each alert fires on the series that should fire it), and every metric the rules and
 * the Grafana dashboard read is one a running gateway exposes, the cost counter among them, equal to what it billed.
 */
class DeployRulesTest {
    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy");
    /** A metric name in an expression; not a label (grouped {@code by (...)}, matched with {@code =}, or a legend's {@code {{...}}}). */
    private static final Pattern METRIC = Pattern.compile("(?<!by \\()(?<!\\{)\\b(?:sluice|gen_ai)_[a-z_]+\\b(?![=,_])");

    @Test
    void theAlertRulesPassPromtoolAndTheirUnitTests() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 10 rules found");
        assertThat(promtool("test", "rules", "alerts_test.yml")).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsExposedAndCostIsWhatWasBilled() throws Exception {
        ModelSpec mini = new ModelSpec("gpt-4o-mini", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.of("0.15", "0.60"));
        // each end user may spend a millionth of a dollar a day: a call with a user is refused, and the refusal counted
        LimitSettings adaptive = new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.USER, Budget.Period.DAY, new BigDecimal("0.000001"))),
                new LimitSettings.Concurrency(true, 5, 200, 1_000));
        try (TestGateway sluice = TestGateway.onPostgresWithLimits(List.of(mini), adaptive)) {
            HttpResponse<String> answered = sluice.post("/v1/chat/completions", TestGateway.chat("Where is parcel 5001?"));
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            BigDecimal billed = new BigDecimal(answered.headers().firstValue("X-Sluice-Cost").orElseThrow());
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("[sim:503] and this one?")).statusCode()).isEqualTo(503);
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("[sim:429] and that one?")).statusCode()).isEqualTo(429);
            assertThat(sluice.post("/v1/chat/completions", """
                    {"model":"gpt-4o-mini","user":"u-capped","messages":[{"role":"user","content":"Where is parcel 5002?"}]}""").statusCode()).isEqualTo(402);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> sluice.get("/metrics").body().contains("sluice_budget_refusals_total{budget=\"user:default/u-capped:day\""));
            String scrape = sluice.get("/metrics").body();

            Set<String> read = new TreeSet<>();
            for (String file : List.of("prometheus/alerts.yml", "grafana/sluice.json")) {
                Matcher m = METRIC.matcher(Files.readString(DEPLOY.resolve(file), StandardCharsets.UTF_8));
                while (m.find()) read.add(m.group());
            }
            assertThat(read).hasSizeGreaterThan(8);
            assertThat(read).allSatisfy(metric -> assertThat(scrape).as("exposed: " + metric).containsPattern("(?m)^" + metric + "[{ ]"));

            assertThat(scrape).contains("sluice_upstream_errors_total{endpoint=\"sim\",error_type=\"unavailable\"}")
                    .contains("sluice_upstream_errors_total{endpoint=\"sim\",error_type=\"rate_limited\"}");
            Matcher cost = Pattern.compile("(?m)^sluice_cost_usd_total\\{model=\"gpt-4o-mini\",owner=\"default\"} (\\S+)$").matcher(scrape);
            assertThat(cost.find()).as(scrape).isTrue();
            assertThat(new BigDecimal(cost.group(1))).as("the counter is what was billed").isEqualByComparingTo(billed);
        }
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DEPLOY.resolve("prometheus").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
