package io.sluice.engine.batch;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.domain.batch.BatchLine;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.TokenCounter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * How a batch's requests will run: each line's model resolved, and who runs them. A batch whose every request goes to
 * one provider with a batch API is passed to it whole ({@code upstream}), at its batch prices; any other is run by the
 * gateway, each request as a call of its own, at the standard prices the upstream charges then. Immutable.
 */
record BatchPlan(List<BatchLine> lines, List<ModelRegistry.Target> targets, LlmProvider upstream) {
    static BatchPlan of(List<BatchLine> lines, ModelRegistry models) {
        List<ModelRegistry.Target> targets = new ArrayList<>(lines.size());
        for (BatchLine line : lines) targets.add(models.resolve(line.request().model()));
        LlmProvider provider = targets.getFirst().provider();
        boolean oneProvider = targets.stream().allMatch(t -> t.provider() == provider);
        return new BatchPlan(List.copyOf(lines), List.copyOf(targets), oneProvider && provider.batches().isPresent() ? provider : null);
    }

    /** What the batch costs at most: every prompt, and every reply at its {@code max_tokens} or the reply reserve. */
    BigDecimal worstCase(ModelRegistry models, TokenCounter tokens, ContextDefaults context) {
        BigDecimal worst = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            ModelRegistry.Target target = targets.get(i);
            Prices prices = upstream != null ? models.batchPrices(target.spec()) : target.spec().prices();
            ChatRequest request = lines.get(i).request();
            int prompt = 0;
            for (ChatMessage m : request.messages()) prompt += tokens.countMessage(m, target.spec().encoding(), target.provider().mediaRule());
            int reply = context.replyReserve(request.options().maxTokens(), target.spec().contextWindow());
            worst = worst.add(prices.cost(new Usage(prompt, reply, 0)));
        }
        return worst;
    }

    /** The lines as the upstream names their models. */
    List<BatchLine> upstreamLines() {
        List<BatchLine> named = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            BatchLine line = lines.get(i);
            ChatRequest r = line.request();
            named.add(new BatchLine(line.index(), line.customId(), new ChatRequest(targets.get(i).spec().upstreamName(), r.messages(), r.options())));
        }
        return named;
    }
}
