// YAML as Kong loads a declarative config that is not JSON (lyaml over
// libyaml, YAML 1.1): implicit types of 1.1, `<<` merge keys (explicit keys
// win), aliases to the latest node with that anchor, no limit on aliases.
// The yaml package composes the document; aliases are resolved here with a
// map of anchors, because its own resolution scans the document once per
// alias (minutes for a 10k-Ingress body, whose tags are mostly aliases).
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';

type Anchors = Map<string, unknown>;

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return typeof key.value === 'symbol' || key.value === '<<';
}

function merge(target: Record<string, unknown>, source: unknown): void {
  const sources: unknown[] = Array.isArray(source) ? source : [source];
  for (const item of sources) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new Error('invalid \'<<\' merge value');
    for (const [k, v] of Object.entries(item)) if (!(k in target)) target[k] = v;
  }
}

function toJs(node: unknown, anchors: Anchors): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (!anchors.has(node.source)) throw new Error(`invalid reference: ${node.source}`);
    return anchors.get(node.source);
  }
  const anchor = (node as Node).anchor;
  if (isScalar(node)) {
    const value = node.value ?? null;
    if (anchor !== undefined) anchors.set(anchor, value);
    return value;
  }
  if (isSeq(node)) {
    const list: unknown[] = [];
    if (anchor !== undefined) anchors.set(anchor, list);
    for (const item of node.items) list.push(toJs(item, anchors));
    return list;
  }
  if (isMap(node)) {
    const map: Record<string, unknown> = {};
    if (anchor !== undefined) anchors.set(anchor, map);
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) merge(map, toJs(pair.value, anchors));
      else map[String(toJs(pair.key, anchors))] = toJs(pair.value, anchors);
    }
    return map;
  }
  throw new Error('unexpected YAML node');
}

/** The document's data; throws on a syntax error. */
export function loadKongYaml(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', merge: true });
  const [error] = doc.errors;
  if (error !== undefined) throw error;
  return toJs(doc.contents, new Map());
}
