import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { BASE, MODEL, PNG, ORDER_SCHEMA, CUT, REFUSED } from './common.mjs';

const client = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'sk-any', maxRetries: 0 });
const lookup = { type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: ORDER_SCHEMA, strict: true } };

describe('OpenAI Node SDK', () => {
  test('chat', async () => {
    const c = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Where is my parcel?' }] });
    assert.ok(c.choices[0].message.content.length > 0);
    assert.ok(c.usage.completion_tokens > 0);
  });

  test('stream with usage', async () => {
    const stream = await client.chat.completions.create({ model: MODEL, stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Explain the refund policy' }] });
    let text = '', usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(text.length > 0);
    assert.ok(usage.completion_tokens > 0);
  });

  test('tools round trip', async () => {
    const messages = [{ role: 'user', content: 'Where is order 42?' }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [lookup], tool_choice: 'required' });
    const call = first.choices[0].message.tool_calls[0];
    assert.equal(typeof JSON.parse(call.function.arguments).items_shipped, 'number');
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'shipped yesterday' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [lookup] });
    assert.ok(second.choices[0].message.content.length > 0);
  });

  test('structured output', async () => {
    const c = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Status of order 42?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'order', strict: true, schema: ORDER_SCHEMA } } });
    const order = JSON.parse(c.choices[0].message.content);
    assert.equal(typeof order.order_id, 'string');
  });

  test('images', async () => {
    const c = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is wrong with this order?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }] });
    assert.ok(c.choices[0].message.content.length > 0);
  });

  test('embeddings', async () => {
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['refunds', 'shipping'] });
    assert.equal(e.data.length, 2);
    assert.ok(e.data[0].embedding.length > 0);
  });

  test('errors by class', async () => {
    await assert.rejects(client.chat.completions.create({ model: MODEL, temperature: 5, messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof OpenAI.BadRequestError && e.param === 'temperature');
    await assert.rejects(client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: `hi ${REFUSED}` }] }),
      (e) => e instanceof OpenAI.BadRequestError && e.code === 'invalid_value');
    await assert.rejects(client.models.retrieve('no-such-model'), (e) => e instanceof OpenAI.NotFoundError);
  });

  test('cut stream raises an error', async () => {
    const stream = await client.chat.completions.create({ model: MODEL, stream: true,
      messages: [{ role: 'user', content: `a long story please ${CUT}` }] });
    await assert.rejects((async () => { for await (const _ of stream) { /* drain */ } })());
  });

  test('Responses API', async () => {
    const first = await client.responses.create({ model: MODEL, input: 'My parcel is late' });
    assert.ok(first.output_text.length > 0);
    const second = await client.responses.create({ model: MODEL, input: 'When will it arrive?', previous_response_id: first.id });
    assert.equal(second.conversation.id, first.conversation.id);
    const stream = await client.responses.create({ model: MODEL, input: 'hello', stream: true });
    let text = '', done;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') done = event.response;
    }
    assert.equal(done.output_text ?? done.output[0].content[0].text, text);
  });
});
