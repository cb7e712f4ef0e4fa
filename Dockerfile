# syntax=docker/dockerfile:1
# The meshdoor controller image: compiled JavaScript on Node 24, non-root.
#   docker build -t meshdoor:0.1.0 .

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# For `meshdoor demo` (translates the bundled examples).
COPY examples ./examples
# Numeric ids, so runAsNonRoot can verify them without a passwd lookup.
USER 10001:10001
EXPOSE 10254
ENTRYPOINT ["node", "bin/meshdoor.js"]
CMD ["controller"]
