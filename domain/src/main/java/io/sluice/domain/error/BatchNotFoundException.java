package io.sluice.domain.error;

/** No batch with this id (or it is not the caller's). */
public class BatchNotFoundException extends NonRetriableException {
    public BatchNotFoundException(String batchId) {
        super("No such Batch object: " + (batchId.length() > 64 ? batchId.substring(0, 64) : batchId), null);
    }

    @Override
    public String code() {
        return "batch_not_found";
    }
}
