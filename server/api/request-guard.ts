// Checks every request's address before any route runs: its length, its path parameters and its
// query string. One place for every route: a route's query parameters are the ones its RouteDoc
// declares (the same schema the route parses and the OpenAPI document lists).
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { unsafeTextProblem, visibleText } from '../security/unsafe-text.ts';
import { HttpError } from './errors.ts';
import type { RouteDoc } from './route-doc.ts';

/** Longest address (path and query string) the service reads. */
export const MAX_URL_LENGTH = 4096;

type Checked = Record<string, unknown>;

const routeKey = (method: string, url: string): string => `${method === 'HEAD' ? 'GET' : method} ${url}`;

/** Route (as Fastify names it, `:param`) -> the query parameters it takes. */
function declaredQueries(docs: readonly RouteDoc[]): Map<string, readonly string[]> {
  return new Map(
    docs.map((doc) => [
      routeKey(doc.method, doc.url.replace(/\{(\w+)\}/g, ':$1')),
      Object.keys(doc.query?.shape ?? {}),
    ]),
  );
}

function checkParams(params: Checked): void {
  for (const [name, value] of Object.entries(params)) {
    const problem = typeof value === 'string' ? unsafeTextProblem(value) : null;
    if (problem)
      throw new HttpError(400, 'invalid-request', `The ${name} in the address ${problem}.`, { field: name });
  }
}

function unknownParameter(name: string, route: string, allowed: readonly string[]): HttpError {
  const takes = allowed.length ? `it takes ${allowed.join(', ')}` : 'it takes none';
  return new HttpError(
    400,
    'unknown-parameter',
    `"${visibleText(name)}" is not a query parameter of ${route}; ${takes}.`,
    { field: visibleText(name) },
  );
}

function checkQuery(query: Checked, route: string, allowed: readonly string[] | undefined): void {
  for (const [name, value] of Object.entries(query)) {
    const nameProblem = unsafeTextProblem(name);
    if (nameProblem)
      throw new HttpError(400, 'invalid-request', `A query parameter name ${nameProblem}.`, {
        field: visibleText(name),
      });
    if (allowed && !allowed.includes(name)) throw unknownParameter(name, route, allowed);
    if (Array.isArray(value))
      throw new HttpError(
        400,
        'invalid-request',
        `The query parameter ${name} is given more than once; give it once.`,
        { field: name },
      );
    const problem = typeof value === 'string' ? unsafeTextProblem(value) : null;
    if (problem)
      throw new HttpError(400, 'invalid-request', `The query parameter ${name} ${problem}.`, { field: name });
  }
}

function checkRequest(request: FastifyRequest, queries: Map<string, readonly string[]>): void {
  if (request.url.length > MAX_URL_LENGTH)
    throw new HttpError(
      414,
      'uri-too-long',
      `The address is longer than ${MAX_URL_LENGTH.toLocaleString('en')} characters.`,
    );
  if (!request.url.startsWith('/api/')) return;
  checkParams(request.params as Checked);
  const route = request.routeOptions.url;
  const allowed = route === undefined ? undefined : queries.get(routeKey(request.method, route));
  checkQuery(request.query as Checked, `${request.method} ${route ?? ''}`, allowed);
}

/**
 * An onRequest hook: 414 for an address over MAX_URL_LENGTH; under /api/, 400 for control
 * characters or text-direction overrides in a path or query parameter, for a query parameter a
 * documented route does not declare (`unknown-parameter`, e.g. `dryRun[]`), and for one given twice.
 */
export function requestGuard(docs: readonly RouteDoc[]): onRequestHookHandler {
  const queries = declaredQueries(docs);
  return (request, _reply, done) => {
    try {
      checkRequest(request, queries);
      done();
    } catch (error) {
      done(error as HttpError);
    }
  };
}
