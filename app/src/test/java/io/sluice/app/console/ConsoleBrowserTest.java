package io.sluice.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.Gateway;
import io.sluice.app.config.GatewaySettings;
import io.sluice.app.config.RoutingSettings;
import io.sluice.app.config.SlaSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium (Debian's, driven by its chromedriver), against two gateway replicas on one
 * PostgreSQL: sign in with the admin key; create a key; today's spend is what {@code /admin/usage} says; a canary weight
 * changed in the page routes the other replica within a second; a key revoked stops working; a gateway key's owner sees
 * their conversation's turns, a hostile message drawn as text. Each page's screenshot is kept under
 * {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "admin-key-for-the-console-test-2f8c";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private static GatewaySettings settings(PostgresTestSchema schema, Simulator sim) {
        RouteSpec split = new RouteSpec("split", List.of(new Deployment("stable", 90, List.of(new ChainLink("big", Complexity.COMPLEX))),
                new Deployment("canary", 10, List.of(new ChainLink("small", Complexity.COMPLEX)))), Optional.empty(), Optional.empty());
        return GatewaySettings.builder(new ServerSettings("127.0.0.1", 0, 1 << 20, Optional.of(io.sluice.domain.keys.KeySecrets.hash(ADMIN_KEY))),
                        new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 4))
                .providers(List.of(new ProviderSettings("sim", "openai", sim.baseUrl(), "sk-sim", Duration.ofSeconds(5), 50, Map.of())))
                .models(List.of(new ModelSpec("big", "sim", "gpt-4o", 128_000, Encoding.O200K_BASE, Prices.of("2.50", "10")),
                        new ModelSpec("small", "sim", "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.of("0.15", "0.60"))))
                .sla(SlaSettings.ofDefaults().withRouting(new RoutingSettings(List.of(split), ComplexityClassifier.DEFAULTS, RoutingSettings.DEFAULT_TIERS,
                        Map.of())))
                .limits(new io.sluice.app.config.LimitSettings(io.sluice.engine.limits.RateLimits.NONE, false,
                        List.of(new io.sluice.domain.budget.Budget(io.sluice.domain.budget.Budget.Scope.KEY, io.sluice.domain.budget.Budget.Period.DAY, new BigDecimal("5")))))
                .build();
    }

    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
        return new ChromeDriver(service, options);
    }

    @Test
    void signInCreateAKeySeeTodaysSpendSteerACanaryRevokeAndReadAConversation() throws Exception {
        Files.createDirectories(SHOTS);
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults())) {
            sim.start(0);
            GatewaySettings settings = settings(schema, sim);
            try (Gateway a = Gateway.start(settings); Gateway b = Gateway.start(settings)) {
                WebDriver browser = chromium();
                try {
                    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
                    String console = "http://127.0.0.1:" + a.port() + "/console/";
                    browser.get(console);
                    shot(browser, "sign-in");
                    browser.findElement(By.id("key")).sendKeys("wrong-key");
                    browser.findElement(By.cssSelector("#sign-in button")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "Not signed in"));
                    browser.findElement(By.id("key")).clear();
                    browser.findElement(By.id("key")).sendKeys(ADMIN_KEY);
                    browser.findElement(By.cssSelector("#sign-in button")).click();
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("spend-today")));

                    // a key for the owner acme, its secret shown once
                    browser.get(console + "#/keys");
                    WebElement owner = wait.until(ExpectedConditions.presenceOfElementLocated(By.name("owner")));
                    owner.sendKeys("acme");
                    browser.findElement(By.name("name")).sendKeys("support-bot");
                    browser.findElement(By.cssSelector("#create-key button")).click();
                    String secret = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-key-secret"))).getText();
                    assertThat(secret).isNotBlank();
                    // its policy, edited in the page; what the API refuses is said, and nothing changes
                    browser.findElement(By.cssSelector("[data-policy]")).click();
                    WebElement policy = browser.findElement(By.name("policy"));
                    policy.clear();
                    policy.sendKeys("{\"limits\": {\"rpm\": -1}}");
                    browser.findElement(By.cssSelector("#policy-form button")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-message"), "rpm"));
                    policy.clear();
                    policy.sendKeys("{\"limits\": {\"rpm\": 600}, \"budgets\": {\"day\": \"2\"}}");
                    browser.findElement(By.cssSelector("#policy-form button")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("policy-message"), "Policy saved"));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("600 rpm").contains("day $2.00");
                    shot(browser, "keys");

                    // calls with it, one a stored conversation with a hostile message
                    for (int i = 0; i < 3; i++) assertThat(chat(a, secret, "split", "Explain why parcel " + i + " is late.", null).statusCode()).isEqualTo(200);
                    HttpResponse<String> stored = chat(a, secret, "big", "<img src=x onerror=\"document.title='owned'\"> where is it?", "new");
                    assertThat(stored.statusCode()).isEqualTo(200);
                    String conversation = stored.headers().firstValue("X-Conversation-Id").orElseThrow();
                    assertThat(chat(a, secret, "big", "And when will it arrive?", conversation).statusCode()).isEqualTo(200);

                    // today's spend, as the ledger says
                    browser.get(console + "#/spend");
                    browser.navigate().refresh();
                    WebElement today = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("spend-today")));
                    long midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                    String ledger = JSON.readTree(get(a, "/admin/usage?start_time=" + midnight, ADMIN_KEY).body()).path("total").path("cost_usd").asText();
                    assertThat(new BigDecimal(ledger)).isPositive();
                    assertThat(new BigDecimal(today.getAttribute("data-usd"))).isEqualByComparingTo(ledger);
                    assertThat(browser.findElements(By.cssSelector("#spend-chart div"))).as("a bar a day").hasSize(30);
                    assertThat(browser.findElement(By.id("spend-by-route")).getText()).contains("split");
                    assertThat(browser.findElement(By.id("spend-by-user")).getText()).contains("u1");
                    shot(browser, "spend");

                    // acme's daily cap: what it spent is today's spend
                    browser.get(console + "#/budgets");
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "key:acme:day:"));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("$5.00").contains(usd(ledger));
                    shot(browser, "budgets");

                    // a key the upstream refused (401), enabled again in the page once the account is fixed
                    // (the page, open before, shows it live)
                    browser.get(console + "#/upstreams");
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Circuits"));
                    assertThat(browser.findElements(By.cssSelector("[data-enable]"))).isEmpty();
                    sim.configure(sim.config().withKeyFault("sk-sim", io.sluice.testkit.simulator.Fault.UNAUTHORIZED));
                    assertThat(chat(a, secret, "big", "Where is it now?", null).statusCode()).isEqualTo(503);
                    sim.configure(sim.config().withKeyFault("sk-sim", null));
                    new WebDriverWait(browser, Duration.ofSeconds(12)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-enable=sim]")));
                    List<String> errors = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                            .until(d -> d.findElements(By.cssSelector("span.errors")).stream().map(WebElement::getText).toList());
                    assertThat(errors).as("the refused attempt, by its class").anyMatch(e -> !e.equals("none"));
                    // the page is drawn again every few seconds: a button found just before is clicked once it holds still
                    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                        d.findElement(By.cssSelector("[data-enable=sim]")).click();
                        return true;
                    });
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upstreams-message"), "Enabled"));
                    assertThat(chat(a, secret, "big", "Where is it now?", null).statusCode()).isEqualTo(200);
                    // a key added without a secrets key to seal it: refused, and said so
                    browser.findElement(By.name("api_key")).sendKeys("sk-added-in-the-page");
                    browser.findElement(By.cssSelector("#add-upstream-key button")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upstreams-message"), "SLUICE_SECRETS_KEY"));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("sim").contains("Circuits").doesNotContain("sk-added-in-the-page");
                    shot(browser, "upstreams");

                    // the canary's weight, changed in the page: the other replica routes by it within a second
                    browser.get(console + "#/routes");
                    WebElement canary = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.weights[data-route=split] input[type=number][name=canary]")));
                    canary.clear();
                    canary.sendKeys("100");
                    WebElement stable = browser.findElement(By.cssSelector("form.weights[data-route=split] input[type=number][name=stable]"));
                    stable.clear();
                    stable.sendKeys("0");
                    browser.findElement(By.cssSelector("form[data-route=split] button")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("routes-message"), "Saved"));
                    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                            .until(() -> "small".equals(chat(b, secret, "split", "Explain why my parcel is late.", null).headers().firstValue("X-Sluice-Model").orElse("")));
                    // and its degradation chain: the other replica sends it to the model now named
                    WebElement chain = browser.findElement(By.cssSelector("input.chain[name=canary]"));
                    assertThat(chain.getAttribute("value")).isEqualTo("small:complex");
                    chain.clear();
                    chain.sendKeys("gpt-9:complex");
                    browser.findElement(By.cssSelector("button[form^=chains]")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("routes-message"), "gpt-9"));
                    chain = browser.findElement(By.cssSelector("input.chain[name=canary]"));
                    chain.clear();
                    chain.sendKeys("big:complex");
                    browser.findElement(By.cssSelector("button[form^=chains]")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("routes-message"), "Chains saved"));
                    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                            .until(() -> "big".equals(chat(b, secret, "split", "Explain in detail, step by step, why my parcel is late.", null)
                                    .headers().firstValue("X-Sluice-Model").orElse("")));
                    shot(browser, "routes");

                    // the owner's own view: their conversation's turns, the hostile message drawn as text
                    signInAgain(browser, wait, secret);
                    browser.get(console + "#/conversations");
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText(conversation))).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "where is it?"));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("<img src=x").contains("assistant");
                    assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
                    assertThat(browser.getTitle()).isNotEqualTo("owned");
                    // each turn's context as it was sent: the second turn carried the first's two messages
                    assertThat(browser.findElement(By.id("conversation-turns")).getText()).isEqualTo("2");
                    assertThat(browser.findElements(By.cssSelector("span.context"))).extracting(WebElement::getText)
                            .containsExactly("token_budget: 23 tokens, 0/0 stored messages", "token_budget: 50 tokens, 2/2 stored messages");
                    shot(browser, "conversation");

                    // the admin finds it by owner and user
                    signInAgain(browser, wait, ADMIN_KEY);
                    browser.get(console + "#/conversations");
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("owner"))).sendKeys("acme");
                    browser.findElement(By.name("user")).sendKeys("u1");
                    browser.findElement(By.cssSelector("#find-conversations button")).click();
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText(conversation))).click();
                    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("span.context"), 2));
                    shot(browser, "conversations-admin");

                    // revoked in the page: the key stops working
                    browser.get(console + "#/keys");
                    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-revoke]"))).click();
                    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-revoke]")));
                    assertThat(browser.findElement(By.id("main")).getText()).contains("revoked");
                    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> chat(a, secret, "big", "still there?", null).statusCode() == 401);
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /** Signs out, and in again with {@code key}: the Spend page is drawn. */
    private static void signInAgain(WebDriver browser, WebDriverWait wait, String key) {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("key"))).sendKeys(key);
        browser.findElement(By.cssSelector("#sign-in button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("spend-today")));
    }

    /** Dollars as the console draws them: to the cent, or under a cent to six places. */
    private static String usd(String dollars) {
        BigDecimal n = new BigDecimal(dollars);
        return "$" + n.setScale(n.signum() != 0 && n.abs().compareTo(new BigDecimal("0.01")) < 0 ? 6 : 2, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static void shot(WebDriver browser, String page) throws Exception {
        Files.write(SHOTS.resolve(page + ".png"), ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static HttpResponse<String> chat(Gateway gateway, String key, String model, String text, String conversation) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("content-type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model", model, "user", "u1",
                        "messages", List.of(Map.of("role", "user", "content", text))))));
        if (conversation != null) request.header("X-Conversation-Id", conversation);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Gateway gateway, String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
