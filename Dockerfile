# One image for every Rapport app; docker-compose.yml picks the app with `command`.
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build:all && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/var/lib/rapport
# The platform (CMD) keeps V8's default young generation (16 MB semi-spaces) on purpose: with
# 64 MB each scavenge under query load paused 11-18 ms instead of 4-7 ms (bench:api, p99 at
# 2,000 req/s); query latency was chosen over catch-up speed. The projector service, which
# answers no queries, runs with 128 MB, and the ingest service with 64 MB (docker-compose.yml;
# docs/OPERATIONS.md, "Young generation").
# The platform runs without allocation-site pretenuring, as `npm start` does (docs/OPERATIONS.md,
# "Allocation-site pretenuring"): what its catch-ups and insights refreshes keep would
# otherwise make the same code allocate each query's garbage in the old generation.
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /var/lib/rapport && chown node:node /var/lib/rapport
USER node
EXPOSE 3000
CMD ["node", "--no-allocation-site-pretenuring", "dist/apps/platform/apps/platform/src/main.js"]
