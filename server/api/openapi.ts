import { z } from 'zod';
import type { RouteDoc } from './route-doc.ts';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});

/** Path parameters from `{name}` in the URL, query parameters from the query schema, and headers. */
function parameters(doc: RouteDoc) {
  const path = [...doc.url.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const querySchema = doc.query
    ? (z.toJSONSchema(doc.query, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      })
    : {};
  const query = Object.entries(querySchema.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: querySchema.required?.includes(name) ?? false,
    schema,
  }));
  const headers = Object.entries(doc.headers ?? {}).map(([name, h]) => ({
    name,
    in: 'header',
    required: h.required,
    description: h.description,
    schema: { type: 'string' },
  }));
  return [...path, ...query, ...headers];
}

function operation(doc: RouteDoc) {
  const params = parameters(doc);
  const responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, schema]) => [
      status,
      schema ? { description: status, content: json(schema) } : { description: status },
    ]),
  );
  return {
    summary: doc.summary,
    ...(doc.auth ? { security: [{ bearer: [] }] } : {}),
    ...(params.length ? { parameters: params } : {}),
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
