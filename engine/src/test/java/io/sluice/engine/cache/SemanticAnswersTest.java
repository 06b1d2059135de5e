package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Usage;
import io.sluice.ports.out.CachedAnswer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SemanticAnswersTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static CachedAnswer answer(String text, Instant expires) {
        return new CachedAnswer("gpt-4o-mini", ChatMessage.assistant(text), "stop", new Usage(10, 5, 0), new BigDecimal("0.001"), expires);
    }

    @Test
    void theMostSimilarQuestionAtOrAboveTheThresholdAnswersAndOnlyInItsBucket() {
        SemanticAnswers answers = new SemanticAnswers(100, 10, clock);
        answers.put("b", new float[] {1, 0, 0}, answer("x-axis", NOW.plusSeconds(60)));
        answers.put("b", new float[] {0, 1, 0}, answer("y-axis", NOW.plusSeconds(60)));
        var match = answers.find("b", new float[] {0.9f, 0.1f, 0}, 0.9).orElseThrow();
        assertThat(match.answer().message().content()).isEqualTo("x-axis");
        assertThat(match.similarity()).isBetween(0.99, 1.0);
        assertThat(answers.find("b", new float[] {1, 1, 0}, 0.9)).as("0.707 is below the threshold").isEmpty();
        assertThat(answers.find("other", new float[] {1, 0, 0}, 0.5)).isEmpty();
        assertThat(answers.find("b", new float[] {0, 0, 0}, 0.1)).as("an empty question matches nothing").isEmpty();
    }

    @Test
    void expiredAnswersAreNotGivenAndABucketKeepsItsNewestQuestions() {
        SemanticAnswers answers = new SemanticAnswers(100, 2, clock);
        answers.put("b", new float[] {1, 0}, answer("old", NOW.minusSeconds(1)));
        assertThat(answers.find("b", new float[] {1, 0}, 0.5)).isEmpty();
        answers.put("b", new float[] {1, 0}, answer("first", NOW.plusSeconds(60)));
        answers.put("b", new float[] {0, 1}, answer("second", NOW.plusSeconds(60)));
        answers.put("b", new float[] {1, 1}, answer("third", NOW.plusSeconds(60)));
        assertThat(answers.find("b", new float[] {1, 0}, 0.99)).as("the oldest went first").isEmpty();
        assertThat(answers.find("b", new float[] {0, 1}, 0.99)).isPresent();
    }
}
