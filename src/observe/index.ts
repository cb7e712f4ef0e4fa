// What operators see: structured logs, Prometheus metrics, the health server
// (/healthz, /readyz, /metrics) and the version.
export { startHealthServer } from './health-server.ts';
export type { ReadinessProbe } from './health-server.ts';
export { createLogger, errorField } from './logger.ts';
export type { LogFormat, LogLevel, Logger } from './logger.ts';
export { Metrics } from './metrics.ts';
export { VERSION, versionLine } from './version.ts';
