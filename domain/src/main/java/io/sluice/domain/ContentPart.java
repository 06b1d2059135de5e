package io.sluice.domain;

/**
 * One part of a message's content, as OpenAI's chat API names them: text, an image (a URL, or the image itself as a
 * {@code data:} URL), audio (base64, with its format) or a file (an upload's id, or the file itself as a {@code data:}
 * URL). Immutable.
 */
public sealed interface ContentPart {
    record Text(String text) implements ContentPart {
        public Text {
            Require.nonNull(text, "text");
        }
    }

    /** {@code detail}: {@code auto}, {@code low} or {@code high}; null for the upstream's default. */
    record Image(String url, String detail) implements ContentPart {
        public Image {
            Require.nonBlank(url, "url");
        }

        /** Whether the image travels inside the request ({@code data:image/png;base64,...}), not as a link to it. */
        public boolean isInline() {
            return url.startsWith("data:");
        }
    }

    /** {@code data}: the audio, base64; {@code format}: {@code wav} or {@code mp3}. */
    record Audio(String data, String format) implements ContentPart {
        public Audio {
            Require.nonBlank(data, "data");
            Require.nonBlank(format, "format");
        }
    }

    /** One of {@code fileId} (an upload's id) and {@code fileData} (a {@code data:} URL) is set; {@code filename} may be null. */
    record File(String fileId, String fileData, String filename) implements ContentPart {
        public File {
            if ((fileId == null) == (fileData == null)) throw new IllegalArgumentException("a file part needs a 'file_id' or 'file_data'");
        }
    }

    /** The media type of a {@code data:} URL ({@code image/png}), or null when {@code url} is none. */
    static String mediaType(String url) {
        if (url == null || !url.startsWith("data:")) return null;
        int end = url.indexOf(';');
        if (end < 0) end = url.indexOf(',');
        return end < 5 ? null : url.substring(5, end);
    }

    /** The base64 payload of a {@code data:} URL, or null when {@code url} is none or not base64. */
    static String base64Data(String url) {
        if (url == null || !url.startsWith("data:")) return null;
        int comma = url.indexOf(',');
        return comma > 0 && url.substring(0, comma).endsWith(";base64") ? url.substring(comma + 1) : null;
    }
}
