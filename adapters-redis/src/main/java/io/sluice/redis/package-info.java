/**
 * Redis adapters on Lettuce, so that several gateway replicas act as one: the shared context cache, rate-limit and
 * budget counters, and the response cache. The module is in the build and in the layering rules from the start;
 * its adapters arrive with the conversation-memory and cost/flow-control work that needs them.
 */
package io.sluice.redis;
