# syntax=docker/dockerfile:1
# The Portail Famille backend: one image for the API (dist/src/main.js) and the projector
# (dist/src/projector.js); docker-compose.yml picks the command.

# ---- build: compile TypeScript and the native modules ---------------------------------------------------
FROM node:24-bookworm-slim AS build

# better-sqlite3 compiles its native addon with node-gyp when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The PDF renderer uses the Chromium installed in the runtime stage, never a downloaded one.
ENV PUPPETEER_SKIP_DOWNLOAD=true

# Dependencies first, so editing the sources does not invalidate this (slow) layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# tsc does not copy the Handlebars templates (nest-cli.json's assets): put them beside the compiled code.
# Then drop the dev dependencies before the runtime stage copies node_modules.
RUN npm run build \
 && find src -name '*.hbs' -exec cp --parents {} dist/ \; \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime -------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim AS runtime

# Chromium renders the PDFs (invoices, certificates); Liberation fonts give it metric-compatible
# Arial/Times/Courier so the layout does not depend on the host.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium

WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Embedded mode (the default without store URLs) writes to ./data: it must belong to the runtime user.
RUN mkdir -p /app/data && chown node:node /app/data

# The code and dependencies stay owned by root, so the process cannot modify them.
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
