/**
 * The OpenAPI document, completed with what every operation shares so that each controller need
 * not repeat it: errors are problem+json, any operation with input may answer 400, any path with
 * a parameter 404, anything behind a bearer token 401, anything throttled 429; every
 * authenticated POST takes an Idempotency-Key. Schemathesis checks
 * every response against this document (tests/integration/schemathesis.test.ts).
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { IDEMPOTENCY_KEY_PARAMETER } from './common/idempotency';
import { problemOf } from './common/problem';
import { PUBLIC_SCHEMAS } from './public/public.schemas';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = {
  description: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: unknown;
};

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Every authenticated POST goes through the Idempotency-Key interceptor. */
const isIdempotent = (op: Operation): boolean =>
  op.parameters?.some((p) => 'name' in p && p.name === IDEMPOTENCY_KEY_PARAMETER.name) === true;

/** Responses the global pipes, guards and throttler may give, whatever the controller declares. */
const SHARED_RESPONSES: ReadonlyArray<{
  status: string;
  applies: (op: Operation) => boolean;
  description: string;
  headers?: Record<string, unknown>;
}> = [
  {
    status: '400',
    applies: (op) => (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined,
    description: 'The request is invalid; `errors` names each bad field.',
  },
  {
    status: '404',
    applies: (op) => op.parameters?.some((p) => 'in' in p && p.in === 'path') === true,
    description: 'No such resource, or none you may see.',
  },
  {
    status: '401',
    applies: (op) => (op.security?.length ?? 0) > 0,
    description: 'Missing, invalid or expired token.',
  },
  {
    status: '409',
    applies: isIdempotent,
    description: 'A request with the same Idempotency-Key is still being processed.',
  },
  {
    status: '422',
    applies: isIdempotent,
    description: 'The Idempotency-Key was used before with another body.',
  },
  {
    status: '429',
    applies: (op) => op.tags?.includes('public') === true,
    description: 'Too many requests from this client; slow down.',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } },
  },
];

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('OpenCCS API')
      .setDescription(
        'Staff API of the Open Clean Construction System and its public disclosure API. Errors are ' +
          'RFC 9457 problem details (application/problem+json); lists are cursor-paginated ' +
          '(?limit=&cursor= → { items, nextCursor }). Cursors are opaque: pass back only what the API gave.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  return completeDocument(document);
}

export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...PUBLIC_SCHEMAS },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (method === 'post' && (op.security?.length ?? 0) > 0)
        op.parameters = [...(op.parameters ?? []), { ...IDEMPOTENCY_KEY_PARAMETER }];
      const responses = op.responses as Record<string, ResponseObject>;
      for (const shared of SHARED_RESPONSES)
        if (shared.applies(op) && !responses[shared.status])
          responses[shared.status] = {
            description: shared.description,
            ...(shared.headers ? { headers: shared.headers } : {}),
          };
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400) continue;
        response.content = { 'application/problem+json': { schema: PROBLEM } };
      }
    }
  }
  refuseUnknownFields(document);
  return document;
}

/** Request bodies are validated with forbidNonWhitelisted: say so, down to nested objects. */
function refuseUnknownFields(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Record<string, unknown>>;
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      const schema = schemas[name];
      if (seen.has(name) || !schema) return;
      seen.add(name);
      if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
      return visit(schema);
    }
    Object.values(node).forEach(visit);
  };
  for (const item of Object.values(document.paths))
    for (const method of METHODS) visit(item[method]?.requestBody);
}

/**
 * 405 with an Allow header for a documented path asked with a method it does not have (Express
 * would answer 404, which tells a client the resource does not exist).
 */
export function methodNotAllowed(document: OpenAPIObject) {
  const routes = Object.entries(document.paths).map(([path, item]) => {
    const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`,
    );
    return { pattern, methods };
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    const problem = problemOf(
      'method_not_allowed',
      `${req.method} is not allowed on ${req.path}; use ${route.methods.join(', ')}.`,
    );
    res
      .status(problem.status)
      .set('Allow', route.methods.join(', '))
      .type('application/problem+json')
      .json({
        type: 'about:blank',
        title: 'Method Not Allowed',
        ...problem,
        instance: req.path,
        requestId: (req as Request & { id?: string }).id,
      });
  };
}
