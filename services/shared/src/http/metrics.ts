import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Per-app Prometheus registry with request count and latency by route and status. */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // prom-client hashes a label object on every call; the labelled children are looked up once
  // per method/route/status instead (a handful of combinations), which matters on cached reads.
  const children = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  const child = (method: string, route: string, status: number) => {
    const key = `${method} ${route} ${status}`;
    let found = children.get(key);
    if (!found) {
      const labels = { method, route, status: String(status) };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      found = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      children.set(key, found);
    }
    return found;
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    // routePath is the matched pattern (`/products/:id`), so label cardinality stays bounded.
    const metric = child(c.req.method, routePath(c, -1), c.res.status);
    metric.count();
    metric.observe((performance.now() - started) / 1000);
  };

  // `child` is exported for a fast path in front of Hono: it counts into the same series.
  return { registry, middleware, child };
}

/** One service's registry, Hono middleware, and labelled children for requests answered outside Hono. */
export type ServiceMetrics = ReturnType<typeof createMetrics>;
