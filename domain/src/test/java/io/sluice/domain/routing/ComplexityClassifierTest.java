package io.sluice.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComplexityClassifierTest {
    private final ComplexityClassifier classifier = ComplexityClassifier.DEFAULTS;

    private Complexity of(String text) {
        return classifier.classify(List.of(ChatMessage.system("You are a support agent for a shop that sells shoes."), ChatMessage.user(text)));
    }

    @Test
    void shortMessagesAndGreetingsAreSimple() {
        assertThat(of("where is my order?")).isEqualTo(Complexity.SIMPLE);
        assertThat(of("Thanks a lot, the package arrived this morning and everything looks right to me!")).isEqualTo(Complexity.SIMPLE);
        assertThat(of("Cảm ơn bạn nhiều nhé, mình đã nhận được hàng rồi, mọi thứ đều ổn cả, hẹn gặp lại!")).isEqualTo(Complexity.SIMPLE);
    }

    @Test
    void complexKeywordsInEnglishOrVietnameseMakeACallComplexWhateverItsLength() {
        assertThat(of("Compare plan A and B")).isEqualTo(Complexity.COMPLEX);
        assertThat(of("Tại sao tôi bị trừ tiền?")).isEqualTo(Complexity.COMPLEX);
        assertThat(of("TẠI SAO tôi bị trừ tiền?")).as("case-insensitive, diacritics kept").isEqualTo(Complexity.COMPLEX);
        assertThat(of("Vui lòng phân tích hóa đơn này")).isEqualTo(Complexity.COMPLEX);
    }

    @Test
    void keywordsMatchWholeWordsOnly() {
        // "hi" inside "this" and "shipping", "ok" inside "booked": none is a greeting
        assertThat(of("This is about the shipping of the boots I booked for my sister last week, can you check them?"))
                .isEqualTo(Complexity.MODERATE);
    }

    @Test
    void aGreetingAtTheHeadOfALongQuestionDoesNotMakeItSimple() {
        assertThat(of("Hi! I ordered two pairs of running shoes last Tuesday, the tracking page says delivered but nothing came, "
                + "my neighbour did not get it either and I need them for a race on Sunday, what can you do?"))
                .isEqualTo(Complexity.MODERATE);
    }

    @Test
    void longMessagesAreComplexAndOnlyTheNewestUserMessageCounts() {
        assertThat(of("x ".repeat(800))).isEqualTo(Complexity.COMPLEX);
        List<ChatMessage> earlierComplex = List.of(ChatMessage.user("please analyze my bill"), ChatMessage.assistant("Done."),
                ChatMessage.user("ok"));
        assertThat(classifier.classify(earlierComplex)).isEqualTo(Complexity.SIMPLE);
        assertThat(classifier.classify(List.of())).isEqualTo(Complexity.SIMPLE);
    }

    @Test
    void listsAndLengthsAreConfigurable() {
        ComplexityClassifier custom = new ComplexityClassifier(5, 20, List.of("escalate"), List.of());
        assertThat(custom.classify(List.of(ChatMessage.user("please escalate")))).isEqualTo(Complexity.COMPLEX);
        assertThat(custom.classify(List.of(ChatMessage.user("please analyze")))).isEqualTo(Complexity.MODERATE);
        assertThat(custom.classify(List.of(ChatMessage.user("hey")))).isEqualTo(Complexity.SIMPLE);
        assertThatThrownBy(() -> new ComplexityClassifier(50, 50, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
