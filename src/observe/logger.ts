// Structured logs: JSON in a cluster (or when asked), readable lines on a terminal.
// Messages are constant strings; what varies goes in fields (object, gateway, durationMs).
import winston from 'winston';

export type Logger = winston.Logger;
export type LogFormat = 'json' | 'text';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggerOptions {
  level?: LogLevel;
  /** Defaults to `text` on a TTY and `json` otherwise. */
  format?: LogFormat;
  stream?: NodeJS.WritableStream;
  isTTY?: boolean;
}

// Field names whose values must never reach a log line.
const SECRET_FIELDS = new Set(['token', 'authorization', 'password', 'data', 'stringData', 'key', 'cert']);

const redact = winston.format((info) => {
  for (const field of Object.keys(info)) {
    if (SECRET_FIELDS.has(field)) info[field] = '[redacted]';
  }
  return info;
});

function textLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, timestamp, ...fields } = info;
  const rest = Object.entries(fields)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level} ${String(message)}${rest ? ` ${rest}` : ''}`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stdout;
  const isTTY = options.isTTY ?? Boolean((stream as { isTTY?: boolean }).isTTY);
  const format = options.format ?? (isTTY ? 'text' : 'json');
  const { combine, timestamp, json, printf, colorize, errors } = winston.format;
  const shape = format === 'json'
    ? combine(errors(), redact(), timestamp(), json())
    // Colour codes only for a person at a terminal, never into files or collectors.
    : combine(errors(), redact(), timestamp({ format: 'HH:mm:ss.SSS' }), ...(isTTY ? [colorize()] : []), printf(textLine));
  return winston.createLogger({
    level: options.level ?? 'info',
    format: shape,
    transports: [new winston.transports.Stream({ stream })],
  });
}

/** A logger that writes nothing (tests). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

/** An error as a short log field, without stack or response bodies that may carry tokens. */
export function errorField(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
