import type { z } from 'zod';

/** What the OpenAPI document says about one route; every route module exports its docs. */
export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  /** Needs `Authorization: Bearer <token>`. */
  auth: boolean;
  body?: z.ZodType;
  /** Status code -> response body schema (null: no body). */
  responses: Record<number, z.ZodType | null>;
}
