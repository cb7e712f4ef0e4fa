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
# glibc raises its mmap threshold (and its trim threshold to twice that) once a
# large block is freed, so later large blocks come from the heap and stay
# resident after a sync. Pinning the default keeps blocks of 128 KiB and more in
# their own mappings, returned on free: 30-40 MiB less RSS at 10k Ingresses, no
# measurable sync time (bench/README.md, memory workload).
# No V8 heap flags: Node sizes V8's heap from the container's memory limit (1 MiB
# semi-spaces at 512Mi); a fixed --max-semi-space-size=4 measured worse there.
# --expose-gc lets the controller run one memory-reducing GC once it is quiet
# after a sync that grew the heap by 64 MiB or more (src/controller/memory-reclaim.ts):
# V8 would keep the freed pages for minutes; at 10k Ingresses RSS after
# converging falls from about 440 to 260 MiB (bench/README.md, memory workload).
ENV MALLOC_MMAP_THRESHOLD_=131072
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
ENTRYPOINT ["node", "--expose-gc", "bin/meshdoor.js"]
CMD ["controller"]
