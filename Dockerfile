# syntax=docker/dockerfile:1
#
# One Dockerfile for every part of the shop; docker-compose.yml builds one target per part
# (`docker build --target payment .`). Each part's image holds what that part runs and nothing
# else: the compiled JavaScript of services/shared and of the part itself (plus the bot's texts or
# the sandbox's web page), and the production dependencies of that one workspace. No other part,
# no TypeScript, no tests, no test kit. It runs as the unprivileged `node` user.

ARG NODE_IMAGE=node:24-slim

# --- The manifests: what `npm ci` reads --------------------------------------------------------------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script would report the install over the network.
ENV SCARF_ANALYTICS=false
# Only the manifests: the layers below (the slow ones) are rebuilt when dependencies change, not on
# every source edit. Every workspace's package.json must be here, or `npm ci` finds the lockfile out of sync.
COPY package.json package-lock.json ./
COPY services/shared/package.json services/shared/
COPY services/auth/package.json services/auth/
COPY services/catalog/package.json services/catalog/
COPY services/order/package.json services/order/
COPY services/payment/package.json services/payment/
COPY services/notification/package.json services/notification/
COPY services/sandbox/package.json services/sandbox/
COPY services/web/package.json services/web/
COPY services/testkit/package.json services/testkit/
COPY bot/package.json bot/
COPY scripts/prune-modules.sh scripts/

# --- Every dependency, exactly as the lockfile pins them: what the build needs -------------------
FROM manifests AS deps
# No install scripts: the build needs only the packages (the `node` devDependency would download a
# whole Node binary the build stage never runs).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund

# --- TypeScript to JavaScript: `npm run build` emits dist/ in every package ------------------------
# dist/ holds .js and .js.map only; the declarations tsc -b needs between packages go to dist-types/.
FROM deps AS build
COPY tsconfig.base.json tsconfig.build.json ./
COPY scripts/clean-build.ts scripts/
COPY services services
COPY bot bot
RUN npm run build

# --- Production dependencies of one workspace each (no TypeScript, vitest, eslint, other parts) -----
# node_modules/@shop/<part> and @shop/shared are links to services/ and bot/: each image below
# copies the manifest and dist/ of exactly those two packages to the same places. prune-modules.sh
# then removes the TypeScript sources, declarations and source maps packages ship, which Node never runs.
FROM manifests AS auth-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/auth && sh scripts/prune-modules.sh

FROM manifests AS catalog-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/catalog && sh scripts/prune-modules.sh

FROM manifests AS order-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/order && sh scripts/prune-modules.sh

FROM manifests AS payment-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/payment && sh scripts/prune-modules.sh

FROM manifests AS notification-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/notification && sh scripts/prune-modules.sh

FROM manifests AS sandbox-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/sandbox && sh scripts/prune-modules.sh

FROM manifests AS web-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace services/web && sh scripts/prune-modules.sh

FROM manifests AS bot-modules
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --workspace bot && sh scripts/prune-modules.sh

# --- What every part runs on: Node, production mode, an unprivileged user; no files of ours --------
FROM ${NODE_IMAGE} AS runtime
# The source maps beside each .js turn stack traces into TypeScript lines.
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
USER node
# Every part drains on SIGTERM: it stops taking requests and messages, finishes the ones in
# flight (up to SHUTDOWN_TIMEOUT_MS), closes its connections and exits 0.
STOPSIGNAL SIGTERM

FROM runtime AS auth
COPY --from=auth-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/auth/package.json services/auth/
COPY --from=build /app/services/auth/dist services/auth/dist
EXPOSE 3001
CMD ["node", "services/auth/dist/main.js"]

FROM runtime AS catalog
COPY --from=catalog-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/catalog/package.json services/catalog/
COPY --from=build /app/services/catalog/dist services/catalog/dist
EXPOSE 3002
CMD ["node", "services/catalog/dist/main.js"]

FROM runtime AS order
COPY --from=order-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/order/package.json services/order/
COPY --from=build /app/services/order/dist services/order/dist
EXPOSE 3003
CMD ["node", "services/order/dist/main.js"]

FROM runtime AS payment
COPY --from=payment-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/payment/package.json services/payment/
COPY --from=build /app/services/payment/dist services/payment/dist
EXPOSE 3004
CMD ["node", "services/payment/dist/main.js"]

FROM runtime AS notification
COPY --from=notification-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/notification/package.json services/notification/
COPY --from=build /app/services/notification/dist services/notification/dist
EXPOSE 3005
CMD ["node", "services/notification/dist/main.js"]

FROM runtime AS sandbox
COPY --from=sandbox-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/sandbox/package.json services/sandbox/
COPY --from=build /app/services/sandbox/dist services/sandbox/dist
# The web chat: plain HTML, CSS and browser modules, served from public/ as they are.
COPY --from=build /app/services/sandbox/public services/sandbox/public
EXPOSE 8081
CMD ["node", "services/sandbox/dist/main.js"]

FROM runtime AS web
COPY --from=web-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/services/web/package.json services/web/
COPY --from=build /app/services/web/dist services/web/dist
# The stylesheet, served from public/ as it is.
COPY --from=build /app/services/web/public services/web/public
EXPOSE 3006
CMD ["node", "services/web/dist/main.js"]

FROM runtime AS bot
COPY --from=bot-modules /app/node_modules node_modules
COPY --from=build /app/services/shared/package.json services/shared/
COPY --from=build /app/services/shared/dist services/shared/dist
COPY --from=build /app/bot/package.json bot/
COPY --from=build /app/bot/dist bot/dist
# tsc copies no .ftl files; the compiled bot reads its texts from src/locales (see bot/src/i18n.ts).
COPY --from=build /app/bot/src/locales bot/src/locales
EXPOSE 3000
CMD ["node", "bot/dist/main.js"]
