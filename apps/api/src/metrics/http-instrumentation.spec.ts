import type { IncomingMessage } from 'node:http';
import { routeOf, UNMATCHED_ROUTE } from './http-instrumentation';

const req = (url: string, route?: string, baseUrl = '') =>
  ({ url, baseUrl, ...(route !== undefined ? { route: { path: route } } : {}) }) as IncomingMessage & {
    route?: { path?: unknown };
    baseUrl?: string;
  };

describe('routeOf', () => {
  it('labels a request by the template of the route that served it, never its path', () => {
    expect(routeOf(req('/api/v1/reports/0b5e…', '/api/v1/reports/:reportId'))).toBe(
      '/api/v1/reports/:reportId',
    );
    expect(routeOf(req('/console/x', '/{*path}', '/console'))).toBe('/console/{*path}');
  });

  it('labels the public edge’s cached pages by the route they cache', () => {
    expect(routeOf(req('/public/v1/records?after=0&limit=10'))).toBe('/public/v1/records');
    expect(routeOf(req('/public/v1/projects/SEOUL-1/records?limit=5'))).toBe(
      '/public/v1/projects/:code/records',
    );
  });

  it('puts everything else, the root catch-all included, under one label', () => {
    expect(routeOf(req('/no/such/page'))).toBe(UNMATCHED_ROUTE);
    expect(routeOf(req('/no/such/page', '/{*path}'))).toBe(UNMATCHED_ROUTE);
    expect(routeOf(req('/public/v1/records?sneaky=1'))).toBe(UNMATCHED_ROUTE);
  });
});
