import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAccessTokenVerifier, remoteJwks } from '@shop/shared';

/**
 * A stand-in for the catalog, order and payment services speaking exactly the contract of
 * DESIGN.md section 5, until those services can run in the bot's tests. Access tokens are
 * verified against the REAL auth's JWKS, so expired and forged tokens get the real 401.
 */
export interface FakeProduct {
  id: number;
  categoryId: number;
  name: { en: string; ru: string };
  priceCents: number;
  stock: number;
  deleted?: boolean;
}

interface FakeOrder {
  id: number;
  userId: string;
  key: string | undefined;
  status: string;
  items: { productId: number; name: string; unitPriceCents: number; quantity: number }[];
  totalCents: number;
  currency: string;
  createdAt: string;
}

export async function startFakeShop(authUrl: string) {
  const verify = createAccessTokenVerifier(remoteJwks(authUrl), { issuer: 'shop-auth', audience: 'shop' });
  const categories = [
    { id: 1, name: { en: 'Coffee', ru: 'Кофе' } },
    { id: 2, name: { en: 'Tea', ru: 'Чай' } },
  ];
  const products: FakeProduct[] = [];
  for (let i = 1; i <= 7; i++) {
    products.push({ id: i, categoryId: 1, name: { en: `Coffee ${i}`, ru: `Кофе ${i}` }, priceCents: 1000 + i * 50, stock: 5 });
  }
  products.push({ id: 8, categoryId: 2, name: { en: 'Green tea', ru: 'Зелёный чай' }, priceCents: 450, stock: 3 });
  const orders: FakeOrder[] = [];
  const down = { catalog: false, order: false, payment: false };
  const requests: { method: string; path: string; headers: Record<string, string | undefined> }[] = [];

  const lang = (req: IncomingMessage) => (req.headers['accept-language']?.startsWith('ru') ? 'ru' : 'en');
  const view = (p: FakeProduct, l: 'en' | 'ru') => ({
    id: p.id, name: p.name[l], description: `${p.name[l]} — ${l === 'ru' ? 'описание' : 'description'}`,
    priceCents: p.priceCents, currency: 'USD', stock: p.stock, categoryId: p.categoryId,
  });
  const live = () => products.filter((p) => !p.deleted);

  async function route(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const send = (status: number, data?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(data === undefined ? undefined : JSON.stringify(data));
    };
    const error = (status: number, code: string) => send(status, { error: { code, message: code.replaceAll('_', ' ') } });
    const service = /^\/(categories|products)/.test(url.pathname) ? 'catalog' : url.pathname.startsWith('/payments') ? 'payment' : 'order';
    if (url.pathname !== '/health' && down[service]) return error(503, 'service_unavailable');
    if (url.pathname === '/health') return send(200, { status: 'ok' });
    const l = lang(req);
    if (url.pathname === '/categories') return send(200, { items: categories.map((c) => ({ id: c.id, name: c.name[l] })) });
    if (url.pathname === '/products') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const category = url.searchParams.get('category');
      const q = url.searchParams.get('q')?.toLowerCase();
      if (category && !categories.some((c) => String(c.id) === category)) return error(404, 'not_found');
      const found = live().filter((p) => (!category || String(p.categoryId) === category) && (!q || `${p.name.en} ${p.name.ru}`.toLowerCase().includes(q)));
      return send(200, { items: found.slice((page - 1) * limit, page * limit).map((p) => view(p, l)), page, limit, total: found.length });
    }
    const productMatch = /^\/products\/(\d+)$/.exec(url.pathname);
    if (productMatch) {
      const product = live().find((p) => p.id === Number(productMatch[1]));
      return product ? send(200, view(product, l)) : error(404, 'not_found');
    }
    let userId: string;
    try {
      userId = (await verify(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '')).sub;
    } catch {
      return error(401, 'unauthorized');
    }
    const own = orders.filter((o) => o.userId === userId);
    if (url.pathname === '/orders' && req.method === 'POST') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const again = own.find((o) => key !== undefined && o.key === key);
      if (again) return send(201, again);
      const items = (JSON.parse(body) as { items: { productId: number; quantity: number }[] }).items;
      const lines = [];
      for (const item of items) {
        const product = live().find((p) => p.id === item.productId);
        if (!product) return error(404, 'not_found');
        if (product.stock < item.quantity) return error(409, 'insufficient_stock');
        lines.push({ productId: product.id, name: product.name[l], unitPriceCents: product.priceCents, quantity: item.quantity });
      }
      const order: FakeOrder = {
        id: orders.length + 1, userId, key, status: 'pending', items: lines, currency: 'USD',
        totalCents: lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0),
        createdAt: new Date(Date.now() + orders.length).toISOString(),
      };
      orders.push(order);
      return send(201, order);
    }
    if (url.pathname === '/orders') return send(200, [...own].reverse());
    const orderMatch = /^\/orders\/(\d+)$/.exec(url.pathname);
    if (orderMatch) {
      const order = own.find((o) => o.id === Number(orderMatch[1]));
      return order ? send(200, order) : error(404, 'not_found');
    }
    if (url.pathname === '/payments') {
      const order = own.find((o) => String(o.id) === url.searchParams.get('orderId'));
      if (!order) return send(200, []);
      const status = order.status === 'paid' ? 'succeeded' : order.status === 'payment_failed' ? 'failed' : 'pending';
      return send(200, [{ id: `pay-${order.id}`, orderId: order.id, status, amountCents: order.totalCents, currency: 'USD' }]);
    }
    return error(404, 'not_found');
  }

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { 'idempotency-key': req.headers['idempotency-key'] as string | undefined } });
      route(req, res, body).catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, products, orders, down, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export type FakeShop = Awaited<ReturnType<typeof startFakeShop>>;
