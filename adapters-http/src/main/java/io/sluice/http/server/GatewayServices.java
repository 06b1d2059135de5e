package io.sluice.http.server;

import io.sluice.ports.in.ApiKeys;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.in.Erasure;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.in.Readiness;
import io.sluice.ports.in.RouteAdmin;
import io.sluice.ports.in.RouteHealth;
import io.sluice.ports.in.UsageReports;

/** The use cases the HTTP server exposes. */
public record GatewayServices(ChatCompletions chat, ModelDirectory models, Conversations conversations, RouteHealth health, RouteAdmin routes,
                              UsageReports usage, ApiKeys keys, Readiness readiness, Erasure erasure, io.sluice.ports.in.Embeddings embeddings,
                              io.sluice.ports.in.Files files, io.sluice.ports.in.Batches batches, io.sluice.ports.in.UpstreamKeyAdmin upstreamKeys,
                              io.sluice.ports.in.Budgets budgets) {}
