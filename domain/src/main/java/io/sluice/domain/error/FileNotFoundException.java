package io.sluice.domain.error;

/** No file with this id (or it is not the caller's). */
public class FileNotFoundException extends NonRetriableException {
    public FileNotFoundException(String fileId) {
        super("No such File object: " + (fileId.length() > 64 ? fileId.substring(0, 64) : fileId), null);
    }

    @Override
    public String code() {
        return "file_not_found";
    }
}
