package io.sluice.engine.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.Usage;
import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** The model catalog shipped in the jar: its entries, how names find them, and a malformed file refused. */
class ModelCatalogTest {
    private final ModelCatalog catalog = ModelCatalog.builtIn();

    @Test
    void theWellKnownModelsOfEveryProviderArePricedWithTheirDate() {
        assertThat(catalog.size()).isGreaterThanOrEqualTo(40);
        assertThat(catalog.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
        for (String model : new String[] {"gpt-4o-mini", "gpt-5", "claude-sonnet-4-5", "gemini-2.5-flash", "deepseek-chat", "mistral-large-latest",
                "text-embedding-3-small"}) {
            assertThat(catalog.find(model)).as(model).hasValueSatisfying(e -> {
                assertThat(e.prices().inputPerMillion()).isPositive();
                assertThat(e.prices().source()).isEqualTo("catalog " + catalog.asOf());
            });
        }
        var mini = catalog.find("gpt-4o-mini").orElseThrow();
        assertThat(mini.prices().inputPerMillion()).isEqualByComparingTo("0.15");
        assertThat(mini.prices().outputPerMillion()).isEqualByComparingTo("0.60");
        assertThat(mini.prices().cachedInputPerMillion()).isEqualByComparingTo("0.075");
        assertThat(mini.contextWindow()).isEqualTo(128_000);
        var sonnet = catalog.find("claude-sonnet-4-5").orElseThrow();
        assertThat(sonnet.prices().cacheWritePerMillion()).as("Anthropic's cache writes").isEqualByComparingTo("3.75");
        assertThat(sonnet.prices().cost(new Usage(1_000_000, 0, 0, 1_000_000))).isEqualByComparingTo("3.75");
    }

    @Test
    void aSnapshotAPrefixedNameOrAnotherCaseFindsItsModelAndAnUnknownOneNothing() {
        assertThat(catalog.find("gpt-4o-mini-2024-07-18")).map(ModelCatalog.Entry::model).contains("gpt-4o-mini");
        assertThat(catalog.find("claude-sonnet-4-5-20250929")).map(ModelCatalog.Entry::model).contains("claude-sonnet-4-5");
        assertThat(catalog.find("claude-3-5-haiku-latest")).map(ModelCatalog.Entry::model).contains("claude-3-5-haiku");
        assertThat(catalog.find("openai/gpt-4o")).map(ModelCatalog.Entry::model).contains("gpt-4o");
        assertThat(catalog.find("models/gemini-2.5-flash")).map(ModelCatalog.Entry::model).contains("gemini-2.5-flash");
        assertThat(catalog.find("GPT-4O")).map(ModelCatalog.Entry::model).contains("gpt-4o");
        assertThat(catalog.find("acme-support-finetune")).isEmpty();
        assertThat(catalog.find("gpt-4o-mini-evil")).as("no prefix guessing").isEmpty();
        assertThat(catalog.find(null)).isEmpty();
        assertThat(catalog.find("x".repeat(10_000))).isEmpty();
    }

    @Test
    void batchPricesAreTheCatalogsOrAConfiguredPriceAtTheCatalogsDiscountOrTheStandardPrice() {
        var gpt4o = new io.sluice.domain.ModelSpec("gpt-4o", "openai", null, 128_000, io.sluice.domain.Encoding.O200K_BASE,
                catalog.find("gpt-4o").orElseThrow().prices());
        assertThat(catalog.batchPrices(gpt4o).inputPerMillion()).isEqualByComparingTo("1.25");
        assertThat(catalog.batchPrices(gpt4o).outputPerMillion()).isEqualByComparingTo("5");
        assertThat(catalog.batchPrices(gpt4o).source()).endsWith("batch");
        assertThat(catalog.batchPrices(gpt4o).cachedInputPerMillion()).as("cache reads at the same discount").isEqualByComparingTo("0.625");
        var sonnet = new io.sluice.domain.ModelSpec("claude-sonnet-4-5", "anthropic", null, 200_000, io.sluice.domain.Encoding.CL100K_BASE,
                catalog.find("claude-sonnet-4-5").orElseThrow().prices());
        assertThat(catalog.batchPrices(sonnet).cachedInputPerMillion()).isEqualByComparingTo("0.15");
        assertThat(catalog.batchPrices(sonnet).cacheWritePerMillion()).isEqualByComparingTo("1.875");
        var configured = new io.sluice.domain.ModelSpec("support-bot", "openai", "gpt-4o-mini", 128_000, io.sluice.domain.Encoding.O200K_BASE,
                io.sluice.domain.Prices.of("0.20", "0.80"));
        assertThat(catalog.batchPrices(configured).inputPerMillion()).as("its own price, halved as the catalog halves gpt-4o-mini's")
                .isEqualByComparingTo("0.10");
        assertThat(catalog.batchPrices(configured).outputPerMillion()).isEqualByComparingTo("0.40");
        assertThat(catalog.batchPrices(configured).source()).isEqualTo("config batch");
        var deepseek = new io.sluice.domain.ModelSpec("deepseek-chat", "deepseek", null, 128_000, io.sluice.domain.Encoding.CL100K_BASE,
                catalog.find("deepseek-chat").orElseThrow().prices());
        assertThat(catalog.batchPrices(deepseek)).as("no batch API: the standard price").isEqualTo(deepseek.prices());
        var unknown = new io.sluice.domain.ModelSpec("acme-finetune", "vllm", null, 8_000, io.sluice.domain.Encoding.CL100K_BASE,
                io.sluice.domain.Prices.of("1", "2"));
        assertThat(catalog.batchPrices(unknown)).isEqualTo(unknown.prices());
    }

    @Test
    void aMalformedFileIsRefusedNamingItsLine() {
        String csv = "# as-of: 2025-01-01\nmodel,provider,kind,context_window,input,output,cached_input,cache_write\ngpt-x,openai,chat,1000,1\n";
        assertThatThrownBy(() -> ModelCatalog.parse(new BufferedReader(new StringReader(csv)))).hasMessageContaining("line 3");
        String negative = "model,provider,kind,context_window,input,output,cached_input,cache_write,batch_input,batch_output\n"
                + "gpt-x,openai,chat,1000,-1,2,,,,\n";
        assertThatThrownBy(() -> ModelCatalog.parse(new BufferedReader(new StringReader(negative)))).isInstanceOf(IllegalArgumentException.class);
    }
}
