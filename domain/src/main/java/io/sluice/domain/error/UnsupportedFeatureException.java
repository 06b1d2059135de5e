package io.sluice.domain.error;

/** The request needs a feature (streaming, tools, embeddings...) that the chosen provider does not have. */
public class UnsupportedFeatureException extends SluiceException {
    private final String param;

    public UnsupportedFeatureException(String message) {
        this(message, null);
    }

    /** @param param the request field that asks for the feature, as OpenAI's {@code error.param} names it; may be null */
    public UnsupportedFeatureException(String message, String param) {
        super(message, null);
        this.param = param;
    }

    /** The provider {@code provider} cannot do what {@code param} asks: a 400 naming both. */
    public static UnsupportedFeatureException of(String provider, String param, String what) {
        return new UnsupportedFeatureException(what + " is not supported by provider '" + provider + "'", param);
    }

    public String param() {
        return param;
    }

    @Override
    public String code() {
        return "unsupported_feature";
    }
}
