package io.sluice.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.async.RedisAsyncCommands;

/** One connection to the real Redis the test script starts, shared by this module's tests for the run. */
final class TestRedis {
    private static final RedisClient CLIENT = RedisClient.create(System.getenv().getOrDefault("SLUICE_TEST_REDIS_URI", "redis://127.0.0.1:6379"));
    private static final RedisAsyncCommands<String, String> COMMANDS = CLIENT.connect().async();
    private static final RedisLink LINK = RedisLink.open(System.getenv().getOrDefault("SLUICE_TEST_REDIS_URI", "redis://127.0.0.1:6379"),
            RedisLink.DEFAULT_COMMAND_TIMEOUT);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(CLIENT::shutdown, "test-redis-shutdown"));
    }

    private TestRedis() {}

    static RedisAsyncCommands<String, String> commands() {
        return COMMANDS;
    }

    /** The link the adapters use, connected. */
    static RedisLink link() {
        if (!LINK.awaitConnection(java.time.Duration.ofSeconds(10))) throw new IllegalStateException("the test Redis is not reachable");
        return LINK;
    }
}
