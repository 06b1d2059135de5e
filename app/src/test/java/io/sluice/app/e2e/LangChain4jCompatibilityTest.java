package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.sluice.testkit.simulator.Fault;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI client (pinned in the POM) against the gateway: plain and streamed answers, and a stream the
 * upstream cuts after its first chunk, which LangChain4j must report as an error. It ignores SSE error events, and
 * used to take the half answer of a cleanly ended body as complete; the gateway now aborts the body instead.
 */
class LangChain4jCompatibilityTest {
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onH2();
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @Test
    void aPlainAnswer() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();

        assertThat(model.chat("Where is my parcel?")).isNotBlank();
    }

    @Test
    void embeddingsForRetrievalOverHelpArticles() {
        var model = dev.langchain4j.model.openai.OpenAiEmbeddingModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any")
                .modelName("text-embedding-3-small").dimensions(16).timeout(Duration.ofSeconds(10)).build();
        var embeddings = model.embedAll(java.util.List.of(dev.langchain4j.data.segment.TextSegment.from("How do refunds work?"),
                dev.langchain4j.data.segment.TextSegment.from("Where is my parcel?"))).content();

        assertThat(embeddings).hasSize(2);
        assertThat(embeddings.getFirst().dimension()).isEqualTo(16);
        assertThat(embeddings.get(0).vector()).isNotEqualTo(embeddings.get(1).vector());
    }

    /** A typed structured answer, parsed by LangChain4j's AI service from a JSON-schema response format. */
    interface OrderDesk {
        OrderStatus status(String question);
    }

    record OrderStatus(String orderId, int itemsShipped, boolean delayed) {}

    @Test
    void aStructuredAnswerParsesIntoARecord() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini")
                .supportedCapabilities(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true)
                .timeout(Duration.ofSeconds(10)).build();
        OrderStatus status = dev.langchain4j.service.AiServices.create(OrderDesk.class, model).status("Where is order 42?");

        assertThat(status.orderId()).isNotBlank();
    }

    @Test
    void aStreamedAnswerCompletes() throws Exception {
        Outcome outcome = stream("Where is my parcel?");

        assertThat(outcome.ended().get(10, TimeUnit.SECONDS)).isEqualTo("completed");
        assertThat(outcome.text()).isNotBlank();
    }

    @Test
    void aStreamCutMidAnswerIsAnErrorNotACompleteResponse() throws Exception {
        Outcome outcome = stream("tell me a long story please now " + Fault.STREAM_CUT.directive());

        // what was delivered before the cut may or may not reach the handler: the JDK client can drop what it had
        // buffered when the connection goes; what matters is that it ends as an error
        assertThat(outcome.ended().get(10, TimeUnit.SECONDS)).isEqualTo("error");
    }

    private record Outcome(CompletableFuture<String> ended, StringBuilder partial) {
        String text() {
            synchronized (partial) {
                return partial.toString();
            }
        }
    }

    private static Outcome stream(String prompt) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();
        Outcome outcome = new Outcome(new CompletableFuture<>(), new StringBuilder());
        model.chat(prompt, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                synchronized (outcome.partial()) {
                    outcome.partial().append(partialResponse);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                outcome.ended().complete("completed");
            }

            @Override
            public void onError(Throwable error) {
                outcome.ended().complete("error");
            }
        });
        return outcome;
    }
}
