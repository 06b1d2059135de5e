package io.sluice.domain.error;

/** The request needs a feature (streaming, tools, embeddings...) that the chosen provider does not have. */
public class UnsupportedFeatureException extends SluiceException {
    public UnsupportedFeatureException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "unsupported_feature";
    }
}
