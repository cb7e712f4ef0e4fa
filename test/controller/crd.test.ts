// The MeshDoor CRD: structural schema whose defaults are the controller's
// built-in settings, enums for the closed choices, a status subresource and
// the printer columns `kubectl get meshdoors` shows.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { settingsFromMeshDoor } from '../../src/config/meshdoor-spec.ts';
import { DEFAULT_SETTINGS } from '../../src/config/settings.ts';

interface Schema {
  type?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  minimum?: number;
  maximum?: number;
}

const crd = parse(readFileSync(new URL('../../deploy/crds/meshdoor.yaml', import.meta.url), 'utf8')) as {
  spec: {
    scope: string; group: string; names: { kind: string; shortNames: string[] };
    versions: { name: string; subresources: { status: object }; additionalPrinterColumns: { name: string; jsonPath: string }[]; schema: { openAPIV3Schema: Schema } }[];
  };
};
const version = crd.spec.versions[0];
const specSchema = version?.schema.openAPIV3Schema.properties?.spec ?? {};

/** What the API server stores for an empty spec: every default applied. */
function applyDefaults(schema: Schema, value: unknown): unknown {
  const v = value === undefined ? structuredClone(schema.default) : value;
  if (schema.type !== 'object' || !schema.properties || typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  for (const [key, child] of Object.entries(schema.properties)) {
    const next = applyDefaults(child, out[key]);
    if (next !== undefined) out[key] = next;
  }
  return out;
}

function everySchema(schema: Schema, visit: (s: Schema) => void): void {
  visit(schema);
  for (const child of Object.values(schema.properties ?? {})) everySchema(child, visit);
  if (schema.items) everySchema(schema.items, visit);
}

describe('MeshDoor CRD', () => {
  it('is cluster-scoped meshdoor.dev/v1alpha1 with a status subresource and short name md', () => {
    expect(crd.spec.scope).to.equal('Cluster');
    expect(crd.spec.group).to.equal('meshdoor.dev');
    expect(version?.name).to.equal('v1alpha1');
    expect(version?.subresources.status).to.deep.equal({});
    expect(crd.spec.names.shortNames).to.include('md');
  });

  it('defaults an empty spec to the controller\'s built-in settings', () => {
    const spec = applyDefaults(specSchema, undefined) as Record<string, unknown>;
    const settings = settingsFromMeshDoor({ metadata: { name: 'default' }, spec });
    expect(settings).to.deep.equal({ ...DEFAULT_SETTINGS, mesh: { ...DEFAULT_SETTINGS.mesh }, gateway: { ...DEFAULT_SETTINGS.gateway }, kongAdmin: { ...DEFAULT_SETTINGS.kongAdmin } });
  });

  it('restricts the closed choices with enums and ports with ranges', () => {
    expect(specSchema.properties?.upstreamMode?.enum).to.have.members(['service', 'mesh', 'endpoints']);
    expect(specSchema.properties?.routerFlavor?.enum).to.have.members(['traditional_compatible', 'traditional', 'expressions']);
    const vipPort = specSchema.properties?.mesh?.properties?.vipPort;
    expect([vipPort?.minimum, vipPort?.maximum]).to.deep.equal([1, 65535]);
  });

  it('is structural: every node has a type and every pattern compiles', () => {
    everySchema(version?.schema.openAPIV3Schema ?? {}, (s) => {
      expect(s.type, JSON.stringify(s).slice(0, 80)).to.be.a('string');
      if (s.pattern) expect(() => new RegExp(s.pattern ?? '')).not.to.throw();
    });
  });

  it('shows class, sync state, routes, sidecars and age', () => {
    const columns = version?.additionalPrinterColumns.map((c) => c.name.toUpperCase());
    expect(columns).to.include.members(['CLASS', 'SYNCED', 'ROUTES', 'SIDECARS', 'AGE']);
  });
});
