import { createRoute } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonResponse, type Authenticator, type ServiceApp } from '@shop/shared';
import type { OrderDeps } from '../deps.ts';
import { emptyCart, removeFromCart, setCartQuantity, showCart } from '../store/cart-actions.ts';
import { cartProductParamsSchema, cartQuantitySchema, cartSchema } from './cart-schemas.ts';

const tags = ['cart'];
const security = [{ bearer: [] }];

const getCartRoute = createRoute({
  method: 'get',
  path: '/cart',
  tags,
  security,
  description:
    "Your cart at the catalog's current prices; lines whose product is gone or short of stock are marked",
  responses: { 200: jsonResponse(cartSchema, 'Your cart'), ...errorResponses(401, 503) },
});
const putItemRoute = createRoute({
  method: 'put',
  path: '/cart/items/{productId}',
  tags,
  security,
  description: `Sets how many of a product are in your cart (adds the line if needed). At most 20 different products.`,
  request: { params: cartProductParamsSchema, body: jsonBody(cartQuantitySchema) },
  responses: {
    200: jsonResponse(cartSchema, 'Your cart after the change'),
    ...errorResponses(400, 401, 404, 409, 413, 503),
  },
});
const deleteItemRoute = createRoute({
  method: 'delete',
  path: '/cart/items/{productId}',
  tags,
  security,
  description: 'Takes a product out of your cart (a product that is not there is no error)',
  request: { params: cartProductParamsSchema },
  responses: {
    200: jsonResponse(cartSchema, 'Your cart after the change'),
    ...errorResponses(400, 401, 503),
  },
});
const deleteCartRoute = createRoute({
  method: 'delete',
  path: '/cart',
  tags,
  security,
  description: 'Empties your cart',
  responses: { 204: { description: 'The cart is empty' }, ...errorResponses(401) },
});

/** The caller's own cart: no route takes a user id, so no request can reach another's. */
export function registerCartRoutes(app: ServiceApp, deps: OrderDeps, authenticated: Authenticator): void {
  app.openapi({ ...getCartRoute, middleware: [authenticated] as const }, async (c) =>
    c.json(
      await showCart(deps, { userId: c.var.user.sub, acceptLanguage: c.req.header('Accept-Language') }),
      200,
    ),
  );
  app.openapi({ ...putItemRoute, middleware: [authenticated] as const }, async (c) => {
    const caller = { userId: c.var.user.sub, acceptLanguage: c.req.header('Accept-Language') };
    const productId = Number(c.req.valid('param').productId);
    return c.json(await setCartQuantity(deps, caller, productId, c.req.valid('json').quantity), 200);
  });
  app.openapi({ ...deleteItemRoute, middleware: [authenticated] as const }, async (c) => {
    const caller = { userId: c.var.user.sub, acceptLanguage: c.req.header('Accept-Language') };
    return c.json(await removeFromCart(deps, caller, Number(c.req.valid('param').productId)), 200);
  });
  app.openapi({ ...deleteCartRoute, middleware: [authenticated] as const }, async (c) => {
    await emptyCart(deps, c.var.user.sub);
    return c.body(null, 204);
  });
}
