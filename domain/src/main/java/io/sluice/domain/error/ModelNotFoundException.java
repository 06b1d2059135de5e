package io.sluice.domain.error;

/** No configured provider serves the requested model. */
public class ModelNotFoundException extends NonRetriableException {
    public ModelNotFoundException(String model) {
        super("The model '" + model + "' does not exist or is not served by this gateway", null);
    }

    @Override
    public String code() {
        return "model_not_found";
    }
}
