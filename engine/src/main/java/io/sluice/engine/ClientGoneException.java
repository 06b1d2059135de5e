package io.sluice.engine;

import io.sluice.domain.error.NonRetriableException;

/** The client hung up before its call went upstream: nothing is sent, nothing billed, and nobody is left to answer. */
final class ClientGoneException extends NonRetriableException {
    ClientGoneException() {
        super("The client closed the connection before the call was sent upstream", null);
    }

    @Override
    public String code() {
        return "client_closed_request";
    }
}
