package io.sluice.engine.tokens;

import io.sluice.domain.ContentPart;
import io.sluice.domain.MediaRule;
import java.util.Base64;

/**
 * The tokens an image, audio clip or file in a prompt will cost, estimated before it is sent: what a context window
 * must hold and a budget reserve. The upstream's own count is what is billed. Images follow the published rule of the
 * provider they go to ({@link MediaRule}):
 * <ul>
 *   <li>OpenAI: a {@code low} detail image is {@value #BASE} tokens; otherwise the image is scaled to fit 2048 x 2048,
 *       then its short side to 768, and each 512-pixel tile costs {@value #PER_TILE} more.</li>
 *   <li>Anthropic: width x height / {@value #ANTHROPIC_PIXELS_PER_TOKEN} after scaling to a long edge of at most
 *       {@value #ANTHROPIC_LONG_EDGE} pixels, at most {@value #ANTHROPIC_MAX} tokens (larger images are scaled down
 *       to that).</li>
 *   <li>Gemini: {@value #GEMINI_PER_TILE} tokens when both sides are at most {@value #GEMINI_SMALL} pixels, else
 *       {@value #GEMINI_PER_TILE} per {@value #GEMINI_TILE}-pixel tile.</li>
 * </ul>
 * The size is read from an inline image's header (PNG, GIF, JPEG); a linked image, whose size is unknown here, is
 * taken as 1024 x 1024. Audio and files have no published rule: a token per {@value #AUDIO_BYTES_PER_TOKEN} bytes of
 * audio and per {@value #FILE_BYTES_PER_TOKEN} bytes of file, both on the generous side. Thread-safe.
 */
final class MediaTokens {
    static final int BASE = 85;
    static final int PER_TILE = 170;
    static final int ANTHROPIC_PIXELS_PER_TOKEN = 750;
    static final int ANTHROPIC_LONG_EDGE = 1568;
    static final int ANTHROPIC_MAX = 1600;
    static final int GEMINI_PER_TILE = 258;
    static final int GEMINI_SMALL = 384;
    static final int GEMINI_TILE = 768;
    /** The size taken for an image whose size is unknown here: a link. */
    private static final int UNKNOWN_SIDE = 1024;
    static final int AUDIO_BYTES_PER_TOKEN = 1000;
    static final int FILE_BYTES_PER_TOKEN = 100;
    /** Enough of an image's start to hold its size: a JPEG's frame header may follow its metadata. */
    private static final int HEADER_BASE64_CHARS = 96 * 1024;

    private MediaTokens() {}

    static int of(ContentPart part, MediaRule rule) {
        return switch (part) {
            case ContentPart.Text t -> 0;
            case ContentPart.Image i -> image(i, rule);
            case ContentPart.Audio a -> decodedBytes(a.data()) / AUDIO_BYTES_PER_TOKEN + 1;
            case ContentPart.File f -> f.fileData() == null ? 0 : decodedBytes(ContentPart.base64Data(f.fileData())) / FILE_BYTES_PER_TOKEN + 1;
        };
    }

    private static int image(ContentPart.Image image, MediaRule rule) {
        if (rule == MediaRule.OPENAI_TILES && "low".equals(image.detail())) return BASE;
        int[] size = image.isInline() ? size(ContentPart.base64Data(image.url())) : null;
        int width = size == null ? UNKNOWN_SIDE : size[0];
        int height = size == null ? UNKNOWN_SIDE : size[1];
        return switch (rule) {
            case OPENAI_TILES -> tiles(width, height);
            case ANTHROPIC_PIXELS -> anthropic(width, height);
            case GEMINI_TILES -> gemini(width, height);
        };
    }

    static int anthropic(double width, double height) {
        if (width <= 0 || height <= 0) return 1;
        double fit = Math.min(1, ANTHROPIC_LONG_EDGE / Math.max(width, height));
        return (int) Math.min(ANTHROPIC_MAX, Math.ceil(width * fit * height * fit / ANTHROPIC_PIXELS_PER_TOKEN));
    }

    static int gemini(int width, int height) {
        if (width <= GEMINI_SMALL && height <= GEMINI_SMALL) return GEMINI_PER_TILE;
        return GEMINI_PER_TILE * ceilDiv(width, GEMINI_TILE) * ceilDiv(height, GEMINI_TILE);
    }

    private static int ceilDiv(int a, int b) {
        return Math.max(1, (a + b - 1) / b);
    }

    static int tiles(double width, double height) {
        if (width <= 0 || height <= 0) return BASE;
        double fit = Math.min(1, 2048 / Math.max(width, height));
        width *= fit;
        height *= fit;
        double shortSide = Math.min(width, height);
        if (shortSide > 768) {
            width *= 768 / shortSide;
            height *= 768 / shortSide;
        }
        return BASE + PER_TILE * (int) (Math.ceil(width / 512) * Math.ceil(height / 512));
    }

    private static int decodedBytes(String base64) {
        return base64 == null ? 0 : base64.length() / 4 * 3;
    }

    /** Width and height from a PNG, GIF or JPEG header; null when it is none of these, or cut short. */
    static int[] size(String base64) {
        if (base64 == null) return null;
        byte[] b;
        try {
            String head = base64.length() <= HEADER_BASE64_CHARS ? base64 : base64.substring(0, HEADER_BASE64_CHARS);
            b = Base64.getMimeDecoder().decode(head);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        if (b.length >= 24 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return new int[]{int32(b, 16), int32(b, 20)};
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') return new int[]{u16le(b, 6), u16le(b, 8)};
        if (b.length >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) return jpeg(b);
        return null;
    }

    /** The size in the first start-of-frame segment (SOF0 to SOF15, but DHT, JPG and DAC). */
    private static int[] jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xFF) return null;
            int marker = b[i + 1] & 0xff;
            int length = u16be(b, i + 2);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return new int[]{u16be(b, i + 7), u16be(b, i + 5)};
            }
            i += 2 + length;
        }
        return null;
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static int u16be(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u16le(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
    }
}
