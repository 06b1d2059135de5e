package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's OpenAI client (pinned in the POM) against the gateway, one cell of the client matrix each: plain and
 * streamed answers with usage, tools, structured output, images, embeddings, errors as its exception classes, and a
 * stream the upstream cuts after its first chunk, which LangChain4j must report as an error. It ignores SSE error events, and
 * used to take the half answer of a cleanly ended body as complete; the gateway now aborts the body instead.
 */
class LangChain4jCompatibilityTest {
    private static final String LANGCHAIN4J = "LangChain4j";
    private static TestGateway sluice;

    private static OpenAiChatModel chatModel() {
        return OpenAiChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini").maxRetries(0)
                .timeout(Duration.ofSeconds(10)).build();
    }

    @BeforeAll
    static void start() {
        sluice = TestGateway.onH2();
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "chat")
    void aPlainAnswer() {
        assertThat(chatModel().chat("Where is my parcel?")).isNotBlank();
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "embeddings")
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
    @MatrixCell(client = LANGCHAIN4J, capability = "structured output")
    void aStructuredAnswerParsesIntoARecord() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini")
                .supportedCapabilities(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true)
                .timeout(Duration.ofSeconds(10)).build();
        OrderStatus status = dev.langchain4j.service.AiServices.create(OrderDesk.class, model).status("Where is order 42?");

        assertThat(status.orderId()).isNotBlank();
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "stream with usage")
    void aStreamedAnswerCompletes() throws Exception {
        Outcome outcome = stream("Where is my parcel?");

        assertThat(outcome.ended().get(10, TimeUnit.SECONDS)).isEqualTo("completed");
        assertThat(outcome.text()).isNotBlank();
        assertThat(outcome.complete().get().tokenUsage().outputTokenCount()).as("the usage chunk").isPositive();
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "cut stream raises an error")
    void aStreamCutMidAnswerIsAnErrorNotACompleteResponse() throws Exception {
        Outcome outcome = stream("tell me a long story please now " + Fault.STREAM_CUT.directive());

        // what was delivered before the cut may or may not reach the handler: the JDK client can drop what it had
        // buffered when the connection goes; what matters is that it ends as an error
        assertThat(outcome.ended().get(10, TimeUnit.SECONDS)).isEqualTo("error");
    }

    private record Outcome(CompletableFuture<String> ended, StringBuilder partial, java.util.concurrent.atomic.AtomicReference<ChatResponse> complete) {
        String text() {
            synchronized (partial) {
                return partial.toString();
            }
        }
    }

    private static Outcome stream(String prompt) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();
        Outcome outcome = new Outcome(new CompletableFuture<>(), new StringBuilder(), new java.util.concurrent.atomic.AtomicReference<>());
        model.chat(prompt, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                synchronized (outcome.partial()) {
                    outcome.partial().append(partialResponse);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse completeResponse) {
                outcome.complete().set(completeResponse);
                outcome.ended().complete("completed");
            }

            @Override
            public void onError(Throwable error) {
                outcome.ended().complete("error");
            }
        });
        return outcome;
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "tools round trip")
    void aToolCallIsAnsweredAndTheConversationGoesOn() {
        ToolSpecification lookup = ToolSpecification.builder().name("lookup_order").description("Find an order")
                .parameters(JsonObjectSchema.builder().addStringProperty("order_id").required("order_id").build()).build();
        UserMessage question = UserMessage.from("Where is order 42?");
        OpenAiChatModel model = chatModel();
        AiMessage call = model.chat(ChatRequest.builder().messages(question).toolSpecifications(lookup).toolChoice(ToolChoice.REQUIRED).build()).aiMessage();
        assertThat(call.hasToolExecutionRequests()).isTrue();
        ToolExecutionRequest request = call.toolExecutionRequests().getFirst();
        assertThat(request.arguments()).contains("order_id");

        AiMessage answer = model.chat(ChatRequest.builder().messages(question, call, ToolExecutionResultMessage.from(request, "shipped yesterday"))
                .toolSpecifications(lookup).build()).aiMessage();
        assertThat(answer.text()).isNotBlank();
        assertThat(sluice.simulator.recentRequests().getLast().path("messages").get(2).path("tool_call_id").asText()).isEqualTo(request.id());
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "images")
    void anImageReachesTheModel() {
        String png = "iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";
        AiMessage answer = chatModel().chat(UserMessage.from(TextContent.from("What is wrong with this order?"), ImageContent.from(png, "image/png")))
                .aiMessage();
        assertThat(answer.text()).isNotBlank();
        assertThat(sluice.simulator.recentRequests().getLast().path("messages").get(0).path("content").get(1).path("image_url").path("url").asText())
                .isEqualTo("data:image/png;base64," + png);
    }

    @Test
    @MatrixCell(client = LANGCHAIN4J, capability = "errors by class")
    void errorsArriveAsLangChain4jsClasses() {
        OpenAiChatModel model = chatModel();
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).temperature(5.0).build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> model.chat("hi " + Fault.BAD_REQUEST.directive())).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> model.chat("hi " + Fault.RATE_LIMIT.directive())).isInstanceOf(RateLimitException.class);
    }
}
