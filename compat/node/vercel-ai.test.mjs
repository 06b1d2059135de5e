import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateText, streamText, generateObject, embed, tool, stepCountIs, APICallError } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { z } from 'zod';
import { BASE, MODEL, PNG, CUT, REFUSED } from './common.mjs';

const openai = createOpenAI({ baseURL: `${BASE}/v1`, apiKey: 'sk-any' });
const compatible = createOpenAICompatible({ name: 'sluice', baseURL: `${BASE}/v1`, apiKey: 'sk-any', includeUsage: true });

describe('Vercel AI SDK', () => {
  test('chat', async () => {
    const { text, usage } = await generateText({ model: openai.chat(MODEL), prompt: 'Where is my parcel?', maxRetries: 0 });
    assert.ok(text.length > 0);
    assert.ok(usage.outputTokens > 0);
    const viaCompatible = await generateText({ model: compatible.chatModel(MODEL), prompt: 'Where is my parcel?', maxRetries: 0 });
    assert.ok(viaCompatible.text.length > 0);
  });

  test('stream with usage', async () => {
    const result = streamText({ model: openai.chat(MODEL), prompt: 'Explain the refund policy', maxRetries: 0 });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    assert.ok(text.length > 0);
    assert.ok((await result.usage).outputTokens > 0);
  });

  test('tools round trip', async () => {
    const { text, steps } = await generateText({ model: openai.chat(MODEL), prompt: 'Where is order 42?', maxRetries: 0, stopWhen: stepCountIs(3),
      tools: { lookup_order: tool({ description: 'Find an order', inputSchema: z.object({ order_id: z.string() }), execute: async () => 'shipped yesterday' }) } });
    assert.equal(steps[0].toolCalls[0].toolName, 'lookup_order');
    assert.ok(text.length > 0);
  });

  test('structured output', async () => {
    const { object } = await generateObject({ model: openai.chat(MODEL), maxRetries: 0, prompt: 'Status of order 42?',
      schema: z.object({ order_id: z.string(), items_shipped: z.number().int() }) });
    assert.equal(typeof object.order_id, 'string');
  });

  test('images', async () => {
    const { text } = await generateText({ model: openai.chat(MODEL), maxRetries: 0, messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is wrong with this order?' }, { type: 'image', image: `data:image/png;base64,${PNG}` }] }] });
    assert.ok(text.length > 0);
  });

  test('embeddings', async () => {
    const { embedding } = await embed({ model: openai.textEmbeddingModel('text-embedding-3-small'), value: 'refunds', maxRetries: 0 });
    assert.ok(embedding.length > 0);
  });

  test('errors by class', async () => {
    await assert.rejects(generateText({ model: openai.chat(MODEL), prompt: `hi ${REFUSED}`, maxRetries: 0 }),
      (e) => APICallError.isInstance(e) && e.statusCode === 400);
  });

  test('cut stream raises an error', async () => {
    const result = streamText({ model: openai.chat(MODEL), prompt: `a long story please ${CUT}`, maxRetries: 0, onError: () => {} });
    // the SDK reports the cut as an error part, or throws it from the stream; either way it is not a complete answer
    let failed = false;
    try {
      for await (const part of result.fullStream) if (part.type === 'error') failed = true;
    } catch (e) {
      failed = true;
    }
    assert.ok(failed);
  });

  test('Responses API', async () => {
    const { text, providerMetadata } = await generateText({ model: openai(MODEL), prompt: 'My parcel is late', maxRetries: 0 });
    assert.ok(text.length > 0);
    const previous = providerMetadata.openai.responseId;
    const next = await generateText({ model: openai(MODEL), prompt: 'When will it arrive?', maxRetries: 0,
      providerOptions: { openai: { previousResponseId: previous } } });
    assert.ok(next.text.length > 0);
    const streamed = streamText({ model: openai(MODEL), prompt: 'hello', maxRetries: 0 });
    let streamedText = '';
    for await (const piece of streamed.textStream) streamedText += piece;
    assert.ok(streamedText.length > 0);
  });
});
