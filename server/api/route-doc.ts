import type { z } from 'zod';

/** What the OpenAPI document says about one route; every route module exports its docs. */
export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  /** Needs `Authorization: Bearer <token>`. */
  auth: boolean;
  body?: z.ZodType;
  /** Query parameters (an object schema); path parameters are taken from `{name}` in `url`. */
  query?: z.ZodObject;
  /** Request headers the route reads, e.g. `If-Match`, with whether they are required. */
  headers?: Record<string, { required: boolean; description: string }>;
  /** Status code -> response body schema (null: no body). */
  responses: Record<number, z.ZodType | null>;
}
