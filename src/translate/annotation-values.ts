// Strict parsers for annotation values. A bad value throws InvalidAnnotationError
// inside a parser only: parsedOrError hands it to the caller as a value, which
// becomes an `InvalidAnnotation` failure: never ignored, never passed through raw.
import { checkIngressHost } from './hosts.ts';

export class InvalidAnnotationError extends Error {
  constructor(readonly annotation: string, readonly value: string, readonly why: string) {
    super(`annotation ${annotation} has invalid value '${value}': ${why}`);
    this.name = 'InvalidAnnotationError';
  }
}

export type Annotations = Readonly<Record<string, string>>;

/** Runs a strict annotation parser: its InvalidAnnotationError is returned, not thrown (as every translation step reports bad input). */
export function parsedOrError<T>(parse: () => T): T | InvalidAnnotationError {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InvalidAnnotationError) return err;
    throw err;
  }
}

export function annotationBool(annotations: Annotations, name: string): boolean | undefined {
  const value = annotations[name];
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InvalidAnnotationError(name, value, 'expected true or false');
}

export function annotationInt(annotations: Annotations, name: string, range: { min: number; max: number }): number | undefined {
  const value = annotations[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!/^-?[0-9]+$/.test(trimmed) || number < range.min || number > range.max) {
    throw new InvalidAnnotationError(name, value, `expected an integer from ${range.min} to ${range.max}`);
  }
  return number;
}

export function annotationOneOf<T extends string | number>(annotations: Annotations, name: string, allowed: readonly T[]): T | undefined {
  const value = annotations[name];
  if (value === undefined) return undefined;
  const found = allowed.find((candidate) => String(candidate) === value.trim());
  if (found === undefined) throw new InvalidAnnotationError(name, value, `expected one of ${allowed.join(', ')}`);
  return found;
}

/** Comma-separated values, trimmed; empty items are an error. */
export function annotationList(annotations: Annotations, name: string, separator = ','): string[] | undefined {
  const value = annotations[name];
  if (value === undefined) return undefined;
  const items = value.split(separator).map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidAnnotationError(name, value, 'empty item in the list');
  return items;
}

/** Host names, lower-cased: DNS names are case-insensitive, and Kong compares them as written. */
export function annotationHosts(annotations: Annotations, name: string): string[] | undefined {
  const hosts = annotationList(annotations, name)?.map((host) => host.toLowerCase());
  for (const host of hosts ?? []) {
    const problem = checkIngressHost(host);
    if (problem) throw new InvalidAnnotationError(name, annotations[name] ?? '', `host '${host}' ${problem}`);
  }
  return hosts;
}
