# The API and the worker share one image; docker-compose.yml picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The portal's stylesheet, browser verifier and interface texts (one file per language) are read as they are.
COPY --from=build /app/apps/api/src/portal/assets ./apps/api/src/portal/assets
COPY --from=build /app/apps/api/src/portal/locales ./apps/api/src/portal/locales
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
