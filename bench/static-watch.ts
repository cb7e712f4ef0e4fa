// A watch source over a fixed set of objects that keeps no copy of its own once
// released, so a process's memory is the controller's alone (a FakeCluster
// would hold a second copy of every object).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchSource, WatchSourceFactory, WatchSpec } from '../src/kube/watch-source.ts';

function selectorMatches(values: Record<string, string | undefined>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key = '', value] = term.split('=').map((s) => s.trim());
    return value === undefined ? values[key] !== undefined : values[key] === value;
  });
}

function matches(spec: WatchSpec, obj: KubernetesObject): boolean {
  if (obj.kind !== spec.kind) return false;
  if (spec.namespace && obj.metadata?.namespace !== spec.namespace) return false;
  const fields = { 'metadata.name': obj.metadata?.name, 'metadata.namespace': obj.metadata?.namespace, type: (obj as { type?: string }).type };
  return selectorMatches(obj.metadata?.labels ?? {}, spec.labelSelector) && selectorMatches(fields, spec.fieldSelector);
}

export class StaticWatch {
  private byKind = new Map<string, KubernetesObject[]>();
  private released = false;
  /** Watches started after `release()`: they listed nothing, so a measurement taken then is wrong. */
  startsAfterRelease = 0;

  constructor(objects: Iterable<KubernetesObject>) {
    for (const obj of objects) {
      const list = this.byKind.get(obj.kind ?? '') ?? [];
      list.push(obj);
      this.byKind.set(obj.kind ?? '', list);
    }
  }

  readonly factory: WatchSourceFactory = (spec) => {
    const source: WatchSource = {
      start: () => {
        if (this.released) this.startsAfterRelease += 1;
        return Promise.resolve((this.byKind.get(spec.kind) ?? []).filter((obj) => matches(spec, obj)));
      },
      stop: () => Promise.resolve(),
    };
    return source;
  };

  /** Drops the source's references; later watch starts list nothing. */
  release(): void {
    this.released = true;
    this.byKind = new Map();
  }
}
