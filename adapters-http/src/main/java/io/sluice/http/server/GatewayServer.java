package io.sluice.http.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.domain.ModelSpec;
import io.sluice.http.server.ConversationJson;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.in.Readiness;
import io.sluice.ports.in.RouteAdmin;
import io.sluice.ports.in.RouteHealth;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The inbound HTTP server: the OpenAI-compatible API ({@code /v1/chat/completions}, {@code /v1/models},
 * {@code /v1/conversations}), health
 * ({@code /health/live}, {@code /health/ready}) and Prometheus metrics ({@code /metrics}). Every error, including
 * unknown routes, oversized bodies and internal failures, answers in OpenAI's error shape.
 */
public final class GatewayServer implements AutoCloseable {
    private final Vertx vertx;
    private final ServerSettings settings;
    private final ChatCompletions chat;
    private final ModelDirectory models;
    private final Conversations conversations;
    private final RouteHealth health;
    private final RouteAdmin routes;
    private final GatewayServices services;
    private final Readiness readiness;
    private final PrometheusMeterRegistry registry;
    private final OpenAiJson json;
    /** One listener per event loop, sharing the port. */
    private final List<HttpServer> servers = new ArrayList<>();
    private final Set<String> listenerThreads = new java.util.HashSet<>();
    private String deployment;

    /** Where uploads wait while their request is read: a directory of this process's own, under the system's temporary one. */
    private static String uploadsDirectory() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "sluice-uploads-" + ProcessHandle.current().pid()).toString();
    }

    public GatewayServer(Vertx vertx, ServerSettings settings, GatewayServices services, PrometheusMeterRegistry registry, ObjectMapper mapper) {
        this.vertx = vertx;
        this.settings = settings;
        this.services = services;
        this.health = services.health();
        this.chat = services.chat();
        this.models = services.models();
        this.conversations = services.conversations();
        this.readiness = services.readiness();
        this.routes = services.routes();
        this.registry = registry;
        this.json = new OpenAiJson(mapper);
    }

    /** Starts listening and returns the bound port (useful with port 0). */
    public int start() {
        GatewayMetrics metrics = new GatewayMetrics(registry);
        TransportErrors transport = new TransportErrors(json);
        RequestReadTimeout readTimeout = new RequestReadTimeout(vertx, settings.requestReadTimeout(), json);
        Router router = Router.router(vertx);
        router.route().handler(readTimeout::headRead);
        router.route().handler(ctx -> {
            long start = System.nanoTime();
            ServerTiming.start(ctx, start);
            ctx.addEndHandler(v -> metrics.httpRequest(ctx.request().method().name(), routeOf(ctx), ctx.response().getStatusCode(),
                    System.nanoTime() - start));
            ctx.next();
        });
        router.route().handler(RequestIds::assign);
        router.route().handler(transport::checkPath);
        Authenticator auth = new Authenticator(services.keys(), settings.adminKeyHash(), json);
        boolean shedding = !settings.maxEventLoopLag().isZero();
        MessagesChatApi messagesApi = new MessagesChatApi(json.mapper());
        // every answer on the Messages API, errors before the handler included, is in Anthropic's shape
        router.route("/v1/messages*").handler(ctx -> {
            ctx.put(ChatApi.CONTEXT_KEY, messagesApi);
            ctx.next();
        });
        router.route("/v1/*").handler(auth::client);
        if (shedding) { // after authentication (cached): a key's lane decides how soon its calls are shed
            LoadShedder shedder = new LoadShedder(settings.maxEventLoopLag(), json, metrics);
            router.post("/v1/chat/completions").handler(shedder);
            router.post("/v1/messages").handler(shedder);
            router.post("/v1/responses").handler(shedder);
            router.post("/v1/completions").handler(shedder);
        }
        router.route("/admin/*").handler(auth::admin);
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new ChatHandler(chat, new OpenAiChatApi(json), servable(), metrics));
        router.post("/v1/completions")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new ChatHandler(chat, new CompletionsChatApi(json), servable(), metrics));
        router.post("/v1/responses")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new ChatHandler(chat, new ResponsesChatApi(json), servable(), metrics));
        ResponsesHandler responsesApi = new ResponsesHandler(conversations, json);
        router.get("/v1/responses/:id").handler(responsesApi::retrieve);
        router.get("/v1/responses/:id/input_items").handler(responsesApi::inputItems);
        router.delete("/v1/responses/:id").handler(responsesApi::delete);
        router.post("/v1/messages")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new ChatHandler(chat, messagesApi, servable(), metrics));
        router.post("/v1/messages/count_tokens")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new CountTokensHandler(chat, messagesApi)::handle);
        router.post("/v1/embeddings")
                .handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(new EmbeddingsHandler(services.embeddings(), servable(), json, metrics)::handle);
        ModelsHandler modelsApi = new ModelsHandler(models, this::routeNames, json);
        router.get("/v1/models").handler(modelsApi::list);
        router.getWithRegex("/v1/models/(.+)").handler(modelsApi::retrieve);
        ConversationsHandler conversationsApi = new ConversationsHandler(conversations, services.erasure(), new ConversationJson(json.mapper()), json);
        router.post("/v1/conversations").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(conversationsApi::create);
        router.get("/v1/conversations").handler(conversationsApi::list);
        router.get("/v1/conversations/:id").handler(conversationsApi::get);
        router.delete("/v1/conversations/:id").handler(conversationsApi::delete);
        router.get("/v1/conversations/:id/items").handler(conversationsApi::items);
        router.post("/v1/conversations/:id").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(conversationsApi::update);
        router.post("/v1/conversations/:id/items").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(conversationsApi::addItems);
        router.get("/v1/conversations/:id/items/:item").handler(conversationsApi::item);
        router.delete("/v1/conversations/:id/items/:item").handler(conversationsApi::deleteItem);
        router.get("/health/live").handler(ctx -> status(ctx, 200, "UP"));
        router.get("/health/ready").handler(ctx -> {
            io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
            readiness.check().whenComplete((status, error) -> context.runOnContext(v -> {
            Readiness.Status s = error == null ? status : new Readiness.Status(false, java.util.Map.of());
            ObjectNode body = json.mapper().createObjectNode().put("status", s.label());
            ObjectNode checks = body.putObject("checks");
            new java.util.TreeMap<>(s.checks()).forEach(checks::put);
            ctx.response().setStatusCode(s.ready() ? 200 : 503).putHeader("content-type", "application/json").end(body.toString());
            }));
        });
        // the console: static pages from the jar; everything they show comes from the APIs, with the key signed in
        router.getWithRegex("/console").handler(ctx -> ctx.redirect("/console/")); // exactly: "/console/" is the page
        router.get("/console/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        }).handler(io.vertx.ext.web.handler.StaticHandler.create("console").setCachingEnabled(false));
        router.get("/metrics").handler(ctx -> {
            metrics.circuits(health);
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        });
        UpstreamsHandler upstreams = new UpstreamsHandler(health, services.upstreamKeys(), json);
        router.get("/admin/upstreams").handler(upstreams::list);
        router.post("/admin/upstreams/:endpoint/keys").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(upstreams::addKey);
        router.delete("/admin/upstreams/:endpoint/keys/:key").handler(upstreams::removeKey);
        router.post("/admin/upstreams/keys/enable").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(upstreams::enableKey);
        FilesHandler filesApi = new FilesHandler(services.files(), json);
        router.post("/v1/files").handler(BodyHandler.create(true).setBodyLimit(FilesHandler.MAX_FILE_BYTES + 64 * 1024)
                .setDeleteUploadedFilesOnEnd(true).setUploadsDirectory(uploadsDirectory())).handler(filesApi::upload);
        router.get("/v1/files").handler(filesApi::list);
        router.get("/v1/files/:id").handler(filesApi::get);
        router.get("/v1/files/:id/content").handler(filesApi::content);
        router.delete("/v1/files/:id").handler(filesApi::delete);
        BatchesHandler batchesApi = new BatchesHandler(services.batches(), json);
        router.post("/v1/batches").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(batchesApi::create);
        router.get("/v1/batches").handler(batchesApi::list);
        router.get("/v1/batches/:id").handler(batchesApi::get);
        router.post("/v1/batches/:id/cancel").handler(batchesApi::cancel);
        UsageHandler usageApi = new UsageHandler(services.usage(), json);
        KeysHandler keysApi = new KeysHandler(services.keys(), json, servable());
        router.post("/admin/keys").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(keysApi::create);
        router.get("/admin/keys").handler(keysApi::list);
        router.delete("/admin/keys/:id").handler(keysApi::revoke);
        router.put("/admin/keys/:id/policy").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(keysApi::setPolicy);
        router.get("/v1/usage").handler(usageApi::own);
        router.get("/v1/usage/daily").handler(usageApi::ownDaily);
        router.get("/admin/usage").handler(usageApi::everyone);
        BudgetsHandler budgetsApi = new BudgetsHandler(services.budgets(), json);
        router.get("/admin/budgets").handler(budgetsApi::everyone);
        router.get("/v1/budgets").handler(budgetsApi::own);
        router.delete("/admin/users/:owner/:user").handler(new UsersHandler(services.erasure(), json)::erase);
        RoutesHandler routesApi = new RoutesHandler(routes, json);
        router.get("/admin/routes").handler(routesApi::list);
        router.get("/admin/owners/:owner/conversations").handler(conversationsApi::list);
        router.get("/admin/owners/:owner/conversations/:id/items").handler(conversationsApi::items);
        router.put("/admin/routes/:name/weights").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
                .handler(routesApi::setWeights);
        router.put("/admin/routes/:name/chains").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes())).handler(routesApi::setChains);
        router.route().failureHandler(ctx -> {
            if (!transport.handled(ctx, ctx.failure())) failure(ctx);
        });
        router.errorHandler(404, ctx -> error(ctx, 404, "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path()
                + ".", "unknown_url"));
        router.errorHandler(400, ctx -> {
            if (!transport.handled(ctx, ctx.failure())) error(ctx, 400, "The request could not be processed.", "invalid_request");
        });
        router.errorHandler(405, ctx -> error(ctx, 405, "Method " + ctx.request().method() + " is not allowed for "
                + ctx.request().path() + ".", "method_not_allowed"));
        // a server belongs to the event loop it is created on: one per core spreads connections over the cores (Vert.x
        // hands a shared port's connections to its servers in turn). Each is deployed as an instance of its own, which
        // gives it an event loop of its own: contexts asked for from this (non-Vert.x) thread would all be the same
        // one, and every connection would be served by a single core. Port 0 (tests, embedding) cannot be shared:
        // Vert.x would bind each listener to a port of its own, so it gets one listener.
        int listeners = settings.port() == 0 ? 1 : Runtime.getRuntime().availableProcessors();
        deployment = join(vertx.deployVerticle(() -> context -> {
            if (shedding) EventLoopLag.watch(vertx, context);
            HttpServerOptions options = new HttpServerOptions().setTcpNoDelay(true)
                    .setIdleTimeout((int) settings.idleTimeout().toSeconds()).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
            return vertx.createHttpServer(options).invalidRequestHandler(transport::invalidHead)
                    .requestHandler(router).listen(settings.port(), settings.host()).onSuccess(this::listening);
        }, new DeploymentOptions().setInstances(listeners)));
        return port();
    }

    private synchronized void listening(HttpServer server) {
        servers.add(server);
        listenerThreads.add(Thread.currentThread().getName());
    }

    /** The event-loop threads the listeners run on: as many as there are listeners. */
    public synchronized Set<String> listenerThreads() {
        return Set.copyOf(listenerThreads);
    }

    public synchronized int port() {
        return servers.getFirst().actualPort();
    }

    private java.util.List<String> routeNames() {
        return routes.routes().stream().map(RouteAdmin.RouteReport::name).toList();
    }

    /** What a call's {@code model} may name: a model, or a route. */
    private Set<String> servable() {
        return Stream.concat(models.models().stream().map(ModelSpec::name), routeNames().stream()).collect(Collectors.toUnmodifiableSet());
    }

    private void failure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            error(ctx, 413, "The request body is larger than the limit of " + settings.maxBodyBytes() + " bytes.", "request_too_large");
        } else if (ctx.failure() != null) {
            ErrorResponses.send(ctx, json, ErrorResponses.toApiError(ctx.failure()));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            error(ctx, ctx.statusCode(), "The request could not be processed.", "invalid_request");
        } else {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(new IllegalStateException("failed with " + ctx.statusCode())));
        }
    }

    private void error(RoutingContext ctx, int status, String message, String code) {
        ErrorResponses.send(ctx, json, new ErrorResponses.ApiError(status, "invalid_request_error", code, null, message, null));
    }

    private static void status(RoutingContext ctx, int code, String status) {
        ctx.response().setStatusCode(code).putHeader("content-type", "application/json").end("{\"status\":\"" + status + "\"}");
    }

    private static String routeOf(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        return route == null || route.getPath() == null ? "unmatched" : route.getPath();
    }

    @Override
    public void close() {
        if (deployment != null) join(vertx.undeploy(deployment)); // closes its servers
    }

    private static <T> T join(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
