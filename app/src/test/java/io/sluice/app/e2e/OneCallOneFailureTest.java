package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.sluice.app.config.SlaSettings;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One client call whose upstream fails with 500 every time is retried by the gateway, and not again by the official
 * OpenAI SDK, which honours the answer's {@code x-should-retry: false}. Retried by a client that ignores it (as
 * {@code X-Stainless-Retry-Count} says), it still counts once against each circuit it met: it opens neither the circuit
 * of the healthy second endpoint nor any other model's, and the same endpoints keep serving every other call.
 */
class OneCallOneFailureTest {
    @Test
    void aFailingCallRetriedByTheGatewayAndItsSdkDoesNotOpenCircuitsForEveryoneElse() throws Exception {
        SlaSettings sla = new SlaSettings(SlaTier.DEFAULTS, "deep", new RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofSeconds(1)), new CircuitSettings(50, 3, Duration.ofSeconds(30), 1, Duration.ofSeconds(30)));
        Map<String, List<String>> models = Map.of("m", List.of("a", "b"), "other", List.of("a"));
        try (SlaGateway sluice = new SlaGateway(Map.of("a", List.of("sk-a"), "b", List.of("sk-b")), Duration.ofSeconds(5), sla, models)) {
            OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").maxRetries(2).build();
            ChatCompletionCreateParams failing = ChatCompletionCreateParams.builder().model("m")
                    .addUserMessage("Where is my parcel? " + io.sluice.testkit.simulator.Fault.SERVER_ERROR.directive()).build();
            assertThatThrownBy(() -> sdk.chat().completions().create(failing)).isInstanceOfAny(InternalServerException.class,
                    OpenAIServiceException.class);
            long attempts = sluice.simulator("a").stats().requests() + sluice.simulator("b").stats().requests();
            assertThat(attempts).as("the gateway's 3 attempts, and no more: the SDK does not retry what the gateway did").isEqualTo(3);

            for (String retry : List.of("1", "2")) { // a client that retries anyway, saying so as the Stainless SDKs do
                var answer = sluice.chatTo("m", null, "Where is my parcel? " + io.sluice.testkit.simulator.Fault.SERVER_ERROR.directive(), false,
                        "X-Stainless-Retry-Count", retry);
                assertThat(answer.statusCode()).isEqualTo(502);
                assertThat(answer.headers().firstValue("x-should-retry")).contains("false");
            }
            attempts = sluice.simulator("a").stats().requests() + sluice.simulator("b").stats().requests();
            assertThat(attempts).as("the gateway's 3 attempts for each of the client's 3 tries").isEqualTo(9);

            String circuits = sluice.get("/admin/upstreams").body();
            assertThat(circuits).contains("\"m @ a\":\"closed\"").contains("\"m @ b\":\"closed\"").doesNotContain("\"other @ a\":\"open\"");
            for (String model : List.of("m", "other")) {
                assertThat(sdk.chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello").build())
                        .choices()).as("model %s still served", model).hasSize(1);
            }
        }
    }
}
