import { z } from 'zod';
import type { RouteDoc } from './route-doc.ts';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});

function operation(doc: RouteDoc) {
  const responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, schema]) => [
      status,
      schema ? { description: status, content: json(schema) } : { description: status },
    ]),
  );
  return {
    summary: doc.summary,
    ...(doc.auth ? { security: [{ bearer: [] }] } : {}),
    ...(doc.body ? { requestBody: { required: true, content: json(doc.body) } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route, from the same zod schemas that validate requests. */
export function openApiDocument(docs: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    paths[doc.url] = { ...paths[doc.url], [doc.method.toLowerCase()]: operation(doc) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Earshot account service', version: '1.0.0' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
