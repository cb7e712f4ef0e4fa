import { expect } from 'chai';
import type { V1Deployment, V1Ingress, V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { LAST_APPLIED_ANNOTATION, trimForCache } from '../../src/kube/cache-trim.ts';

const managedFields: V1ManagedFieldsEntry[] = [
  { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'networking.k8s.io/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } },
];

function applied(annotations: Record<string, string>): V1Ingress {
  const ingress: V1Ingress = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { namespace: 'shop', name: 'web', resourceVersion: '7', labels: { app: 'web' } },
    spec: { ingressClassName: 'kong' },
  };
  const lastApplied = JSON.stringify(ingress);
  return { ...ingress, metadata: { ...ingress.metadata, managedFields, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: lastApplied } } };
}

describe('trimForCache', () => {
  it('drops managedFields and the last-applied annotation, keeping every other field', () => {
    const ingress = applied({ 'konghq.com/strip-path': 'true' });
    const trimmed = trimForCache(ingress);
    expect(trimmed.metadata).to.deep.equal({
      namespace: 'shop', name: 'web', resourceVersion: '7', labels: { app: 'web' }, annotations: { 'konghq.com/strip-path': 'true' },
    });
    expect(trimmed.spec).to.deep.equal({ ingressClassName: 'kong' });
  });

  it('returns a new object and leaves the given one as it was, frozen or not', () => {
    const ingress = Object.freeze(applied({ 'konghq.com/strip-path': 'true' }));
    const before = structuredClone(ingress);
    const trimmed = trimForCache(ingress);
    expect(trimmed).to.not.equal(ingress);
    expect(ingress).to.deep.equal(before);
    expect(trimmed.spec).to.equal(ingress.spec, 'what is not trimmed is shared, not copied');
  });

  it('leaves no empty annotations behind', () => {
    expect(trimForCache(applied({})).metadata).to.not.have.property('annotations');
  });

  it('touches only the object\'s own metadata, not a pod template\'s', () => {
    const template = { annotations: { [LAST_APPLIED_ANNOTATION]: '{}', 'kuma.io/gateway': 'enabled' } };
    const deployment: V1Deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kong', managedFields },
      spec: { selector: {}, template: { metadata: template } },
    };
    const trimmed = trimForCache(deployment);
    expect(trimmed.metadata).to.deep.equal({ name: 'kong' });
    expect(trimmed.spec?.template.metadata).to.deep.equal(template);
  });

  it('keeps meshdoor\'s own server-side-apply entry: it says which keys meshdoor may remove', () => {
    const own: V1ManagedFieldsEntry = { manager: 'meshdoor', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } };
    const update: V1ManagedFieldsEntry = { ...own, operation: 'Update' };
    const deployment: V1Deployment = { kind: 'Deployment', metadata: { name: 'kong', managedFields: [...managedFields, update, own] } };
    expect(trimForCache(deployment).metadata).to.deep.equal({ name: 'kong', managedFields: [own] });
  });

  it('leaves an object without either as it is', () => {
    const ingress: V1Ingress = { kind: 'Ingress', metadata: { name: 'web', annotations: { a: 'b' } } };
    const metadata = ingress.metadata;
    expect(trimForCache(ingress).metadata).to.equal(metadata);
    const bare: V1Ingress = { kind: 'Ingress' };
    expect(trimForCache(bare)).to.deep.equal({ kind: 'Ingress' });
  });
});
