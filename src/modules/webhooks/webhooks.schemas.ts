/** Request and response schemas of webhooks, shared by the API and the admin pages' forms. */
import { z } from 'zod';
import { pageFields, pageQuery } from '../../api/index.js';
import { DELIVERY_STATES, ENDPOINT_STATES } from './webhooks.tables.js';
import { EVENT_TYPES } from './webhook-events.js';

export const registerEndpointBody = z.object({
  url: z
    .string({ error: 'Enter the address events are sent to' })
    .trim()
    .min(1, 'Enter the address events are sent to')
    .max(2000, 'Enter an address of 2,000 characters or fewer'),
  description: z.string().trim().max(500, 'Enter a description of 500 characters or fewer').optional(),
  events: z
    .array(z.enum(EVENT_TYPES as [string, ...string[]], { error: `Choose events from: ${EVENT_TYPES.join(', ')}` }))
    .min(1, 'Choose at least one event')
    .describe('The events to send'),
});
export type RegisterEndpointInput = z.infer<typeof registerEndpointBody>;

export const endpointParams = z.object({ id: z.uuid({ error: 'Not a webhook id' }) });
export const deliveryParams = endpointParams.extend({ deliveryId: z.uuid({ error: 'Not a delivery id' }) });
export const deliveriesQuery = pageQuery({ defaultLimit: 50 });

export const endpointResponse = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  state: z.enum(ENDPOINT_STATES),
  failuresInRow: z.number().int(),
  pausedAt: z.string().nullable(),
  pausedReason: z.string().nullable(),
  createdAt: z.string(),
});
export const registeredResponse = endpointResponse.extend({
  secret: z.string().describe('The signing secret, for the receiver to check signatures (also on the webhook’s page)'),
});
export const deliveryResponse = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
});
export const deliveryListResponse = z.object({ deliveries: z.array(deliveryResponse), ...pageFields });

/** The admin page's form: checkboxes post one event as a string, several as a list. */
export const registerEndpointForm = registerEndpointBody.extend({
  events: z.preprocess((value) => (value === undefined ? [] : [value].flat()), registerEndpointBody.shape.events),
});
