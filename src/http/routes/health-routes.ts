// Liveness and readiness: answers 200 only when the store answers a query.
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../http-deps.ts';

export function healthRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/healthz', { schema: { operationId: 'checkHealth', tags: ['health'], summary: 'Health check' } }, async () => {
    await deps.store.platform.countOrgs();
    return { status: 'ok', store: deps.store.kind };
  });
}
