# ottpay-sandbox: a local OTT Pay gateway for laptops and CI.
#   docker build -t ottpay-sandbox .
#   docker run --rm --init -p 8080:8080 -e ADMIN_TOKEN=choose-a-token ottpay-sandbox
# The entrypoint is the CLI, so the image also seals and opens: docker run --rm -i ottpay-sandbox seal --key K < data.json

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (scripts/build-if-stale.mjs, not copied) builds in a clone; here the build is below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code, fixtures; no compiler, no dev tools ----
FROM node:24-bookworm-slim
# HOST=0.0.0.0 makes the port reachable from outside the container, so the sandbox refuses to start without an
# ADMIN_TOKEN (-e ADMIN_TOKEN=…): the control API and the admin UI pay orders and reveal sign keys. The gateway,
# the payer pages, /healthz (the HEALTHCHECK below) and /docs need no token.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DB_FILE=/data/sandbox.json \
    FIXTURES_DIR=/app/fixtures
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Mount your own folder over /app/fixtures (or point FIXTURES_DIR elsewhere) to change merchants, outcomes, rates.
COPY fixtures ./fixtures
# The volume is created from this folder, so a fresh named volume is writable by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Node's global fetch: the slim image has no curl or wget. PORT follows a `-e PORT=…` override.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The server handles SIGTERM itself (finishes in-flight writes, exits 0); `--init` also reaps stray children.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
