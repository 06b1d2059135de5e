import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { BASE, MODEL, PNG, ORDER_SCHEMA, CUT, REFUSED } from './common.mjs';

const client = new Anthropic({ baseURL: BASE, apiKey: 'sk-any', maxRetries: 0 });
const lookup = { name: 'lookup_order', description: 'Find an order', input_schema: ORDER_SCHEMA };

describe('Anthropic TypeScript SDK', () => {
  test('chat', async () => {
    const m = await client.messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Where is my parcel?' }] });
    assert.equal(m.content[0].type, 'text');
    assert.equal(m.stop_reason, 'end_turn');
  });

  test('stream with usage', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'Explain the refund policy' }] });
    let text = '';
    stream.on('text', (t) => { text += t; });
    const final = await stream.finalMessage();
    assert.equal(final.content[0].text, text);
    assert.ok(final.usage.output_tokens > 0);
  });

  test('tools round trip', async () => {
    const messages = [{ role: 'user', content: 'Where is order 42?' }];
    const first = await client.messages.create({ model: MODEL, max_tokens: 200, messages, tools: [lookup], tool_choice: { type: 'any' } });
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.equal(first.stop_reason, 'tool_use');
    assert.equal(typeof use.input.order_id, 'string');
    messages.push({ role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'shipped yesterday' }] });
    const second = await client.messages.create({ model: MODEL, max_tokens: 200, messages, tools: [lookup] });
    assert.equal(second.content[0].type, 'text');
  });

  test('structured output', async () => {
    const m = await client.messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Status of order 42?' }],
      output_format: { type: 'json_schema', schema: ORDER_SCHEMA } });
    assert.equal(typeof JSON.parse(m.content[0].text).order_id, 'string');
  });

  test('images', async () => {
    const m = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'What is this?' }] }] });
    assert.equal(m.content[0].type, 'text');
  });

  test('count tokens', async () => {
    const counted = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'How do refunds work?' }] });
    assert.ok(counted.input_tokens > 0);
  });

  test('errors by class', async () => {
    await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 10, temperature: 3, messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof Anthropic.BadRequestError && e.error.error.type === 'invalid_request_error');
    await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: `hi ${REFUSED}` }] }),
      (e) => e instanceof Anthropic.BadRequestError);
  });

  test('cut stream raises an error', async () => {
    const stream = client.messages.stream({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: `a long story please ${CUT}` }] });
    await assert.rejects(stream.finalMessage());
  });
});
