package io.sluice.http.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.budget.BudgetThreshold;
import io.sluice.ports.out.BudgetAlerts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tells an operator's endpoint that a budget crossed a threshold: a JSON POST ({@code type} {@code budget.threshold},
 * money as decimal strings), signed with HMAC-SHA256 of the body under the configured secret
 * ({@code X-Sluice-Signature: sha256=<hex>}) when one is set. Its {@code id} (also {@code X-Sluice-Delivery}) is the same
 * on every delivery of one crossing, from any replica: receivers dedupe by it. A delivery that fails (a 5xx, 408 or 429,
 * no connection, no answer within 5 s) is tried again twice, after 1 s and 2 s, then given up with a warning; calls
 * never wait for it. Thread-safe.
 */
public final class BudgetWebhook implements BudgetAlerts, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BudgetWebhook.class.getName());
    static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final HttpClient http;
    private final URI url;
    private final Optional<String> secret;
    private final ObjectMapper json;
    private final Duration firstBackoff;

    public BudgetWebhook(Vertx vertx, URI url, Optional<String> secret, ObjectMapper json) {
        this(vertx, url, secret, json, Duration.ofSeconds(1));
    }

    BudgetWebhook(Vertx vertx, URI url, Optional<String> secret, ObjectMapper json, Duration firstBackoff) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("must be an http or https URL, was '" + url + "'");
        }
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis()));
        this.url = url;
        this.secret = secret.filter(s -> !s.isBlank());
        this.json = json;
        this.firstBackoff = firstBackoff;
    }

    @Override
    public void crossed(BudgetThreshold crossing) {
        byte[] body = body(crossing);
        deliver(crossing.id(), body, 1);
    }

    byte[] body(BudgetThreshold crossing) {
        ObjectNode event = json.createObjectNode().put("id", crossing.id()).put("type", "budget.threshold")
                .put("budget", BudgetThreshold.budgetOf(crossing.check())).put("counter", crossing.check().counter())
                .put("period", crossing.check().period().name().toLowerCase(Locale.ROOT)).put("threshold_percent", crossing.percent())
                .put("spent_usd", crossing.spentUsd().toPlainString()).put("limit_usd", crossing.check().limitUsd().toPlainString())
                .put("at", crossing.at().toString());
        try {
            return json.writeValueAsBytes(event);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} under {@code key}. */
    static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deliver(String id, byte[] body, int attempt) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setTimeout(TIMEOUT.toMillis()).putHeader("content-type", "application/json").putHeader("user-agent", "sluice")
                // the id holds budget names made of callers' user ids: encoded, a header can hold any
                .putHeader("x-sluice-event", "budget.threshold").putHeader("x-sluice-delivery", java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
        secret.ifPresent(key -> options.putHeader("x-sluice-signature", signature(key, body)));
        http.request(options).compose(request -> request.send(Buffer.buffer(body))).compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(done -> {
                    int status = done.succeeded() ? done.result() : 0;
                    if (status >= 200 && status < 300) return;
                    boolean again = status == 0 || status >= 500 || status == 408 || status == 429;
                    if (again && attempt < ATTEMPTS) {
                        vertx.setTimer(firstBackoff.toMillis() << (attempt - 1), t -> deliver(id, body, attempt + 1));
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "budget webhook to " + url.getHost() + " not delivered (" + id + "): "
                            + (status == 0 ? "no answer" : "status " + status) + " after " + attempt + " attempt(s)");
                });
    }

    @Override
    public void close() {
        http.close();
    }
}
