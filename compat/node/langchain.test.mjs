import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { HumanMessage, ToolMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { BASE, MODEL, PNG, ORDER_SCHEMA, CUT, REFUSED } from './common.mjs';

const options = { model: MODEL, apiKey: 'sk-any', maxRetries: 0, configuration: { baseURL: `${BASE}/v1` } };
const llm = new ChatOpenAI(options);
const lookup = { type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: ORDER_SCHEMA } };

describe('LangChain.js', () => {
  test('chat', async () => {
    const answer = await llm.invoke('Where is my parcel?');
    assert.ok(answer.content.length > 0);
    assert.ok(answer.usage_metadata.output_tokens > 0);
  });

  test('stream with usage', async () => {
    let text = '', usage;
    for await (const chunk of await llm.stream('Explain the refund policy')) {
      text += chunk.content;
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    assert.ok(text.length > 0);
    assert.ok(usage.output_tokens > 0);
  });

  test('tools round trip', async () => {
    const withTools = llm.bindTools([lookup], { tool_choice: 'required' });
    const question = new HumanMessage('Where is order 42?');
    const called = await withTools.invoke([question]);
    const call = called.tool_calls[0];
    assert.equal(typeof call.args.order_id, 'string');
    const answer = await llm.bindTools([lookup]).invoke([question, called, new ToolMessage({ tool_call_id: call.id, content: 'shipped yesterday' })]);
    assert.ok(answer.content.length > 0);
  });

  test('structured output', async () => {
    const structured = llm.withStructuredOutput(z.object({ order_id: z.string(), items_shipped: z.number().int() }), { method: 'jsonSchema', strict: true });
    const order = await structured.invoke('Status of order 42?');
    assert.equal(typeof order.order_id, 'string');
  });

  test('images', async () => {
    const answer = await llm.invoke([new HumanMessage({ content: [{ type: 'text', text: 'What is wrong with this order?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] })]);
    assert.ok(answer.content.length > 0);
  });

  test('embeddings', async () => {
    const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: 'sk-any', maxRetries: 0, configuration: { baseURL: `${BASE}/v1` } });
    const vectors = await embeddings.embedDocuments(['refunds', 'shipping']);
    assert.equal(vectors.length, 2);
  });

  test('errors by class', async () => {
    await assert.rejects(llm.invoke(`hi ${REFUSED}`), (e) => e.status === 400 || e.lc_error_code !== undefined);
  });

  test('cut stream raises an error', async () => {
    await assert.rejects((async () => { for await (const _ of await llm.stream(`a long story please ${CUT}`)) { /* drain */ } })());
  });

  test('Responses API', async () => {
    const responses = new ChatOpenAI({ ...options, useResponsesApi: true });
    const answer = await responses.invoke('My parcel is late');
    assert.ok(answer.text.length > 0);
  });
});
