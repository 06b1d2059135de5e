package io.sluice.app.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * Every logger of the process (the gateway's {@code System.Logger}s, JUL, SLF4J) writes through Logback, one line per
 * record: the bundled {@code logback.xml}'s text lines, or JSON objects when {@code sluice.log.format} is {@code json}.
 */
public final class LogSetup {
    private LogSetup() {}

    /** Routes JUL (libraries that log through it) into SLF4J; the {@code System.Logger}s go there by the platform bridge. */
    public static void routeJul() {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }

    /**
     * Applies the configured format. JSON records hold the time, level, logger, message and the call's fields (request
     * id, trace id, owner, model) where a record has them; never a stack trace, as text lines do not.
     */
    public static void apply(LogSettings settings) {
        if (settings.format() != LogSettings.Format.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithThrowable(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("json");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        // off the calling thread (often an event loop), as the bundled logback.xml does for text lines
        ch.qos.logback.classic.AsyncAppender async = new ch.qos.logback.classic.AsyncAppender();
        async.setContext(context);
        async.setName("async-json");
        async.setNeverBlock(true);
        async.addAppender(appender);
        async.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(async);
    }
}
