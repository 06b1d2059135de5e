package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * One upstream API the simulator speaks: how its requests read as OpenAI's (so that one {@link SimulatedAnswer}
 * serves all), and how answers, streams and errors are written in its own shapes.
 */
interface Dialect {
    /** A piece of a stream: the text to write, and the reply text it carries (null for framing). */
    record Frame(String text, String piece) {}

    /** The upstream key the request was sent with. */
    String keyOf(RoutingContext ctx);

    /** The request as an OpenAI chat request body; throws {@link IllegalArgumentException} for one it cannot take. */
    ObjectNode toOpenAi(JsonNode body, RoutingContext ctx);

    boolean streams(JsonNode body, RoutingContext ctx);

    JsonNode completion(SimulatedAnswer answer);

    /** The stream's frames in order; {@code openAiRequest} says e.g. whether a usage chunk was asked for. */
    List<Frame> frames(SimulatedAnswer answer, JsonNode openAiRequest);

    /** What ends a complete stream after the frames ({@code data: [DONE]} for OpenAI), or "" for nothing. */
    String end();

    /** An error body in this API's shape for an HTTP status. */
    JsonNode error(int status, String message, String param);

    /** The status this API answers an overloaded upstream with (503, or Anthropic's 529). */
    default int overloadedStatus() {
        return 503;
    }
}
