// What every client's tests share: where the gateway is, a screenshot to send, a schema to fill.
export const BASE = process.env.SLUICE_URL ?? 'http://127.0.0.1:8080';
export const MODEL = 'gpt-4o-mini';
/** The header of a 2048 x 4096 PNG: enough for the gateway to count it and pass it on. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO';
export const ORDER_SCHEMA = {
  type: 'object',
  properties: { order_id: { type: 'string' }, items_shipped: { type: 'integer' } },
  required: ['order_id', 'items_shipped'],
  additionalProperties: false,
};
export const CUT = '[sim:cut]';
export const REFUSED = '[sim:400]';
