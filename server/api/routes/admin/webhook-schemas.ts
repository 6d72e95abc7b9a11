// Request and response schemas of the admin webhook routes.
import { z } from 'zod';
import { ALERT_EVENTS } from '../../../alerts/events.ts';

const url = z
  .string({ error: 'url is the address to POST alerts to' })
  .max(2048, { error: 'url has at most 2048 characters' })
  .refine((text) => /^https?:\/\//i.test(text) && URL.canParse(text), {
    error: 'url must be an http:// or https:// address',
  });
const events = z
  .array(z.enum(ALERT_EVENTS, { error: `each event is one of ${ALERT_EVENTS.join(', ')}` }), {
    error: 'events is a list of event names',
  })
  .min(1, { error: 'choose at least one event' });

export const WebhookBody = z.strictObject({
  url,
  events,
  /** The signing secret; one is generated when absent. */
  secret: z.string().min(16, { error: 'a signing secret has at least 16 characters' }).max(256).optional(),
});
export const WebhookPatch = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  enabled: z.boolean({ error: 'enabled is true or false' }).optional(),
});
export const WebhookItem = z.object({
  id: z.string(),
  /** Viewers see the origin only: a webhook address is often a credential itself. */
  url: z.string(),
  events: z.array(z.enum(ALERT_EVENTS)),
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export const WebhookList = z.object({ items: z.array(WebhookItem) });
export const WebhookCreated = WebhookItem.extend({
  /** Shown this once: keep it where the receiver can check signatures with it. */
  secret: z.string(),
});
export const DeliveryItem = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  lastResult: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  /** When a pending delivery is tried again. */
  nextAttemptAt: z.string().nullable(),
});
export const DeliveryList = z.object({ items: z.array(DeliveryItem) });
