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
# jemalloc instead of glibc's malloc, returning freed memory within about a
# second (a background thread purges; no muzzy stage): glibc kept most of what
# a sync freed outside V8's heap (malloc arenas), so at 10k Ingresses RSS after
# converging is about 50 MiB lower with it (bench/README.md, memory workload).
# Linked at one path whatever the architecture's library directory.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(find /usr/lib -name libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2 \
 && test -e /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
ENV MALLOC_CONF=background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0
# No V8 heap flags: Node sizes V8's heap from the container's memory limit (1 MiB
# semi-spaces at 512Mi); a fixed --max-semi-space-size=4 measured worse there.
# --expose-gc lets the controller run one memory-reducing GC once it is quiet
# after a sync that grew the heap by 64 MiB or more (src/controller/memory-reclaim.ts):
# V8 would keep the freed pages for minutes; at 10k Ingresses RSS after
# converging falls from about 440 to 260 MiB (bench/README.md, memory workload).
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
