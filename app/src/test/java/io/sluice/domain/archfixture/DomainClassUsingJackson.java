package io.sluice.domain.archfixture;

/** Breaks "domain uses only the JDK" on purpose; lives in test sources only. */
public class DomainClassUsingJackson {
    Object mapper = new com.fasterxml.jackson.databind.ObjectMapper();
}
