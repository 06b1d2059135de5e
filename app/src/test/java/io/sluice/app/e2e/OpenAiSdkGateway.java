package io.sluice.app.e2e;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The official OpenAI Java SDK, pointed at a gateway by base URL only, with a Claude and a Gemini model beside OpenAI's. */
abstract class OpenAiSdkGateway {
    static TestGateway sluice;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        sluice = TestGateway.on("h2", TestGateway.EVERY_PROVIDER);
        client = OpenAIOkHttpClient.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sluice.close();
    }
}
