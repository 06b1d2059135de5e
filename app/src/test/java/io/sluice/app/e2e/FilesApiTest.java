package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Files API over HTTP on PostgreSQL, through the official openai-java client: a Batch API input is uploaded,
 * retrieved, listed, read back byte for byte and deleted; a file that is not a batch input is refused naming its
 * line, before anything is stored; another owner never sees the file.
 */
class FilesApiTest {
    private static final String BATCH = """
            {"custom_id": "order-1", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Where is order 1?"}]}}
            {"custom_id": "order-2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Đơn hàng 2 ở đâu?"}]}}
            """;

    @TempDir
    Path dir;

    private static OpenAIClient client(CachingGateway sluice, String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + sluice.gateway.port() + "/v1").apiKey(key).maxRetries(0).build();
    }

    @Test
    void aBatchInputIsUploadedReadBackListedAndDeletedByItsOwnerOnly() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            OpenAIClient other = client(sluice, sluice.key("other"));
            Path input = Files.writeString(dir.resolve("orders.jsonl"), BATCH);

            FileObject uploaded = acme.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build());
            assertThat(uploaded.id()).startsWith("file-");
            assertThat(uploaded.filename()).isEqualTo("orders.jsonl");
            assertThat(uploaded.bytes()).isEqualTo(BATCH.getBytes(StandardCharsets.UTF_8).length);
            assertThat(uploaded.purpose()).isEqualTo(FileObject.Purpose.BATCH);

            assertThat(acme.files().retrieve(uploaded.id()).id()).isEqualTo(uploaded.id());
            assertThat(acme.files().list(FileListParams.builder().purpose("batch").build()).data()).extracting(FileObject::id).containsExactly(uploaded.id());
            try (var content = acme.files().content(uploaded.id())) {
                assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(BATCH);
            }

            assertThatThrownBy(() -> other.files().retrieve(uploaded.id())).isInstanceOf(NotFoundException.class);
            assertThat(other.files().list().data()).isEmpty();
            assertThatThrownBy(() -> other.files().delete(uploaded.id())).isInstanceOf(NotFoundException.class);

            assertThat(acme.files().delete(uploaded.id()).deleted()).isTrue();
            assertThatThrownBy(() -> acme.files().retrieve(uploaded.id())).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aFileThatIsNotABatchInputIsRefusedNamingItsLineAndNothingIsStored() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            OpenAIClient acme = client(sluice, key);
            String[][] bad = {
                    {"{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {\"model\": \"m\"}}\nnot json\n", "Line 2 is not JSON"},
                    {BATCH.replace("order-2", "order-1"), "repeats"},
                    {BATCH.replace("\"POST\"", "\"GET\""), "'method'"},
                    {BATCH.replace("/v1/chat/completions", "/v1/images/generations"), "'url'"},
                    {"\n\n", "no request"}};
            for (String[] file : bad) {
                Path input = Files.writeString(dir.resolve("bad.jsonl"), file[0]);
                assertThatThrownBy(() -> acme.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build()))
                        .as(file[1]).isInstanceOf(BadRequestException.class).hasMessageContaining(file[1]);
            }
            Path invalidUtf8 = Files.write(dir.resolve("binary.jsonl"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
            assertThatThrownBy(() -> acme.files().create(FileCreateParams.builder().file(invalidUtf8).purpose(FilePurpose.BATCH).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("UTF-8");
            assertThatThrownBy(() -> acme.files().create(FileCreateParams.builder().file(invalidUtf8).purpose(FilePurpose.FINE_TUNE).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("purpose");
            assertThat(acme.files().list().data()).isEmpty();

            HttpResponse<String> noFile = sluice.send("POST", "/v1/files", "{}", key);
            assertThat(noFile.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(noFile.body()).path("error").path("param").asText()).isEqualTo("file");
        }
    }
}
