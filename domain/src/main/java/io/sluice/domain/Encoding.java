package io.sluice.domain;

import java.util.Locale;
import java.util.Optional;

/** A tokenizer encoding, named as tiktoken names it. */
public enum Encoding {
    CL100K_BASE, O200K_BASE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Encoding> fromName(String name) {
        for (Encoding e : values()) if (e.wireName().equals(name)) return Optional.of(e);
        return Optional.empty();
    }

    /**
     * The encoding OpenAI uses for a model name: o200k_base for gpt-4o, gpt-4.1, gpt-5 and the o-series,
     * cl100k_base for gpt-4 and gpt-3.5. Empty for models that are not OpenAI's.
     */
    public static Optional<Encoding> forOpenAiModel(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5") || m.startsWith("chatgpt-4o")
                || m.matches("o\\d.*")) {
            return Optional.of(O200K_BASE);
        }
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5")) return Optional.of(CL100K_BASE);
        return Optional.empty();
    }
}
