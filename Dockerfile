# syntax=docker/dockerfile:1
#
# One image build for every part of the shop. The stages share everything up to `runtime`; each
# part is a one-line target on top of it (`docker build --target payment .`), which is what
# docker-compose.yml builds. The final image holds compiled JavaScript and production
# dependencies only, and runs as the unprivileged `node` user.

ARG NODE_IMAGE=node:24-slim

# --- Every dependency, exactly as the lockfile pins them -----------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script would report the install over the network.
ENV SCARF_ANALYTICS=false
# Only the manifests: this layer (the slow one) is rebuilt when dependencies change, not on every
# source edit. Every workspace's package.json must be here, or `npm ci` finds the lockfile out of sync.
COPY package.json package-lock.json ./
COPY services/shared/package.json services/shared/
COPY services/auth/package.json services/auth/
COPY services/catalog/package.json services/catalog/
COPY services/order/package.json services/order/
COPY services/payment/package.json services/payment/
COPY services/notification/package.json services/notification/
COPY services/sandbox/package.json services/sandbox/
COPY services/testkit/package.json services/testkit/
COPY bot/package.json bot/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# --- TypeScript to JavaScript: tsc -b emits dist/ in every package --------------------------------
FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY services services
COPY bot bot
RUN npm run build

# --- Production dependencies only (no TypeScript, vitest, eslint ...) -----------------------------
FROM deps AS prod-deps
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# --- What every part runs on ------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
# node_modules/@shop/* are links into services/ and bot/, so the package manifests (their `exports`
# point at dist/) and the compiled code go to the same places as in the repository.
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/package.json ./
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/auth/package.json services/auth/
COPY --from=build /app/services/auth/dist services/auth/dist
COPY --from=build /app/services/catalog/package.json services/catalog/
COPY --from=build /app/services/catalog/dist services/catalog/dist
COPY --from=build /app/services/order/package.json services/order/
COPY --from=build /app/services/order/dist services/order/dist
COPY --from=build /app/services/payment/package.json services/payment/
COPY --from=build /app/services/payment/dist services/payment/dist
COPY --from=build /app/services/notification/package.json services/notification/
COPY --from=build /app/services/notification/dist services/notification/dist
COPY --from=build /app/services/sandbox/package.json services/sandbox/
COPY --from=build /app/services/sandbox/dist services/sandbox/dist
# The sandbox's web chat: plain HTML, CSS and browser modules, served from public/ as they are.
COPY --from=build /app/services/sandbox/public services/sandbox/public
COPY --from=build /app/bot/package.json bot/
COPY --from=build /app/bot/dist bot/dist
# tsc copies no .ftl files; the compiled bot reads its texts from src/locales (see bot/src/i18n.ts).
COPY --from=build /app/bot/src/locales bot/src/locales
USER node
# Every part drains on SIGTERM: it stops taking requests and messages, finishes the ones in
# flight (up to SHUTDOWN_TIMEOUT_MS), closes its connections and exits 0.
STOPSIGNAL SIGTERM

FROM runtime AS auth
EXPOSE 3001
CMD ["node", "services/auth/dist/main.js"]

FROM runtime AS catalog
EXPOSE 3002
CMD ["node", "services/catalog/dist/main.js"]

FROM runtime AS order
EXPOSE 3003
CMD ["node", "services/order/dist/main.js"]

FROM runtime AS payment
EXPOSE 3004
CMD ["node", "services/payment/dist/main.js"]

FROM runtime AS notification
EXPOSE 3005
CMD ["node", "services/notification/dist/main.js"]

FROM runtime AS sandbox
EXPOSE 8081
CMD ["node", "services/sandbox/dist/main.js"]

FROM runtime AS bot
EXPOSE 3000
CMD ["node", "bot/dist/main.js"]
