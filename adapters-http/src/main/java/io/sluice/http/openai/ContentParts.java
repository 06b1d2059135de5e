package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ContentPart;
import io.sluice.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Set;

/** OpenAI's content parts on the wire: read from a client's message, checked field by field, and written for an upstream. */
final class ContentParts {
    private static final Set<String> DETAILS = Set.of("auto", "low", "high");
    private static final Set<String> AUDIO_FORMATS = Set.of("wav", "mp3");

    private ContentParts() {}

    static ContentPart read(JsonNode part, String path) {
        if (!part.isObject()) throw JsonFields.wrongType(path, "an object");
        String type = JsonFields.optionalString(part, "type", path + ".type");
        if (type == null) throw new InvalidRequestException("Missing required parameter: '" + path + ".type'.", path + ".type");
        return switch (type) {
            case "text" -> new ContentPart.Text(required(part, "text", path));
            case "image_url" -> image(object(part, "image_url", path), path + ".image_url");
            case "input_audio" -> {
                JsonNode audio = object(part, "input_audio", path);
                String format = required(audio, "format", path + ".input_audio");
                if (!AUDIO_FORMATS.contains(format)) {
                    throw new InvalidRequestException("'" + path + ".input_audio.format' must be 'wav' or 'mp3'", path + ".input_audio.format");
                }
                yield new ContentPart.Audio(required(audio, "data", path + ".input_audio"), format);
            }
            case "file" -> {
                JsonNode file = object(part, "file", path);
                String id = JsonFields.optionalString(file, "file_id", path + ".file.file_id");
                String data = JsonFields.optionalString(file, "file_data", path + ".file.file_data");
                if ((id == null) == (data == null)) {
                    throw new InvalidRequestException("'" + path + ".file' needs one of 'file_id' and 'file_data'", path + ".file");
                }
                yield new ContentPart.File(id, data, JsonFields.optionalString(file, "filename", path + ".file.filename"));
            }
            default -> throw new InvalidRequestException("Content parts of type '" + JsonBodies.clip(type)
                    + "' are not supported; 'text', 'image_url', 'input_audio' and 'file' are", path + ".type", "unsupported_content");
        };
    }

    /** An image by link (http or https) or inline ({@code data:image/...;base64,}). */
    private static ContentPart.Image image(JsonNode image, String path) {
        String url = required(image, "url", path);
        boolean linked = url.startsWith("https://") || url.startsWith("http://");
        boolean inline = url.startsWith("data:image/") && url.contains(";base64,");
        if (!linked && !inline) {
            throw new InvalidRequestException("'" + path + ".url' must be an http(s) URL or a base64 data URL of an image", path + ".url",
                    "invalid_image_url");
        }
        String detail = JsonFields.optionalString(image, "detail", path + ".detail");
        if (detail != null && !DETAILS.contains(detail)) {
            throw new InvalidRequestException("'" + path + ".detail' must be 'auto', 'low' or 'high'", path + ".detail");
        }
        return new ContentPart.Image(url, detail);
    }

    private static JsonNode object(JsonNode part, String field, String path) {
        JsonNode value = part.get(field);
        if (value == null || !value.isObject()) throw JsonFields.wrongType(path + "." + field, "an object");
        return value;
    }

    private static String required(JsonNode node, String field, String path) {
        String value = JsonFields.optionalString(node, field, path + "." + field);
        if (value == null) throw new InvalidRequestException("Missing required parameter: '" + path + "." + field + "'.", path + "." + field);
        return value;
    }

    /** The parts as OpenAI's content array. */
    static void write(ArrayNode out, List<ContentPart> parts) {
        for (ContentPart part : parts) {
            ObjectNode node = out.addObject();
            switch (part) {
                case ContentPart.Text t -> node.put("type", "text").put("text", t.text());
                case ContentPart.Image i -> {
                    ObjectNode image = node.put("type", "image_url").putObject("image_url").put("url", i.url());
                    if (i.detail() != null) image.put("detail", i.detail());
                }
                case ContentPart.Audio a -> node.put("type", "input_audio").putObject("input_audio").put("data", a.data()).put("format", a.format());
                case ContentPart.File f -> {
                    ObjectNode file = node.put("type", "file").putObject("file");
                    if (f.fileId() != null) file.put("file_id", f.fileId());
                    if (f.fileData() != null) file.put("file_data", f.fileData());
                    if (f.filename() != null) file.put("filename", f.filename());
                }
            }
        }
    }
}
