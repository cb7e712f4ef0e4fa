// Pure planning: which watches the settings need, which Secrets are
// referenced, and which Kong admin endpoints get the config.
import { expect } from 'chai';
import { DEFAULT_SETTINGS, type MeshDoorSettings } from '../../src/config/settings.ts';
import { discoverGateways, gatewayStateKey } from '../../src/controller/gateway-discovery.ts';
import { desiredWatchSpecs, referencedSecrets, type WatchPlanInput } from '../../src/controller/watch-plan.ts';
import { watchSpecId } from '../../src/kube/watch-source.ts';
import { adminEndpointSlice, ingress, ingressClass } from './fixtures.ts';

const settings = (patch: Partial<MeshDoorSettings> = {}): MeshDoorSettings => ({ ...DEFAULT_SETTINGS, ...patch });

function plan(patch: Partial<WatchPlanInput> = {}): string[] {
  return desiredWatchSpecs({
    settings: settings(), meshdoorName: 'default', watchNamespaces: [], secretRefs: [],
    staticAdminUrls: false, staticPublishAddresses: false, ...patch,
  }).map(watchSpecId);
}

describe('watch plan', () => {
  it('watches inputs cluster-wide and single objects by name', () => {
    expect(plan()).to.deep.equal([
      'meshdoor|MeshDoor|*||metadata.name=default',
      'ingressClasses|IngressClass|*||',
      'ingresses|Ingress|*||',
      'services|Service|*||',
      'backendEndpoints|EndpointSlice|*||',
      'kongPlugins|KongPlugin|*||',
      'kongClusterPlugins|KongClusterPlugin|*||',
      'kongConsumers|KongConsumer|*||',
      'gatewayDeployment|Deployment|kong||metadata.name=kong-gateway',
      'gatewayNamespace|Namespace|*||metadata.name=kong',
      'adminEndpoints|EndpointSlice|kong|kubernetes.io/service-name=kong-admin|',
      'publishService|Service|kong||metadata.name=kong-proxy',
    ]);
  });

  it('adds EndpointSlices only in endpoints mode, pods once the selector is known, one TLS Secret watch per namespace', () => {
    const ids = plan({
      settings: settings({ upstreamMode: 'endpoints' }), gatewayPodSelector: 'app=kong',
      secretRefs: [{ namespace: 'shop', name: 'tls' }],
    });
    expect(ids).to.include('endpointSlices|EndpointSlice|*||');
    expect(ids).to.not.include('backendEndpoints|EndpointSlice|*||');
    expect(ids).to.include('gatewayPods|Pod|kong|app=kong|');
    expect(ids).to.include('secrets|Secret|shop||type=kubernetes.io/tls|keep=shop/tls');
    expect(ids.filter((id) => id.startsWith('secrets|'))).to.have.length(1);
  });

  const secretIds = (patch: Partial<WatchPlanInput>): string[] => plan(patch).filter((id) => id.startsWith('secrets|'));
  const refs = (count: number, namespaces: readonly string[]) =>
    Array.from({ length: count }, (_, i) => ({ namespace: namespaces[i % namespaces.length] ?? '', name: `tls-${i}` }));

  it('opens one Secret watch per namespace holding referenced Secrets, however many Secrets', () => {
    for (const count of [3, 30, 3000]) {
      const specs = secretIds({ secretRefs: refs(count, ['shop', 'blog', 'shop-2']) });
      expect(specs.map((id) => id.split('|').slice(0, 5).join('|')), `${count} Secrets`).to.deep.equal([
        'secrets|Secret|blog||type=kubernetes.io/tls', 'secrets|Secret|shop||type=kubernetes.io/tls', 'secrets|Secret|shop-2||type=kubernetes.io/tls',
      ]);
    }
    expect(secretIds({ secretRefs: [] }), 'no reference, no Secret watch').to.deep.equal([]);
  });

  it('keeps in each namespace watch exactly the Secrets referenced there', () => {
    const specs = desiredWatchSpecs({
      settings: settings(), meshdoorName: 'default', watchNamespaces: [], staticAdminUrls: false, staticPublishAddresses: false,
      secretRefs: [{ namespace: 'b', name: 'y' }, { namespace: 'a', name: 'x2' }, { namespace: 'a', name: 'x1' }],
    }).filter((s) => s.role === 'secrets');
    expect(specs.map((s) => [s.namespace, s.keep, s.gate])).to.deep.equal([['a', ['a/x1', 'a/x2'], 'soft'], ['b', ['b/y'], 'soft']]);
  });

  it('with --secret-label-selector, opens one label-selected watch for all referenced Secrets', () => {
    expect(secretIds({ secretLabelSelector: 'tls=yes', secretRefs: refs(100, ['a', 'b', 'c']) })).to.have.length(1);
    expect(secretIds({ secretLabelSelector: 'tls=yes', secretRefs: [{ namespace: 'b', name: 'y' }, { namespace: 'a', name: 'x' }] })).to.deep.equal([
      'secrets|Secret|*|tls=yes|type=kubernetes.io/tls|keep=a/x,b/y',
    ]);
    expect(secretIds({ secretLabelSelector: 'tls=yes', secretRefs: [] })).to.deep.equal([]);
  });

  it('with --secret-watch cluster, opens one TLS-typed watch for all namespaces (per watched namespace under --watch-namespace)', () => {
    expect(secretIds({ secretWatch: 'cluster', secretRefs: refs(1000, ['a', 'b', 'c', 'd']) })).to.have.length(1);
    expect(secretIds({ secretWatch: 'cluster', secretRefs: [{ namespace: 'b', name: 'y' }, { namespace: 'a', name: 'x' }] })).to.deep.equal([
      'secrets|Secret|*||type=kubernetes.io/tls|keep=a/x,b/y',
    ]);
    expect(secretIds({ secretWatch: 'cluster', watchNamespaces: ['a', 'b'], secretRefs: [{ namespace: 'b', name: 'y' }, { namespace: 'a', name: 'x' }] })).to.deep.equal([
      'secrets|Secret|a||type=kubernetes.io/tls|keep=a/x', 'secrets|Secret|b||type=kubernetes.io/tls|keep=b/y',
    ]);
  });

  it('limits namespaced inputs to --watch-namespace, Secrets included', () => {
    const patch = { watchNamespaces: ['b', 'a'], secretRefs: [{ namespace: 'a', name: 'x' }, { namespace: 'z', name: 'y' }] };
    expect(plan(patch).filter((id) => id.startsWith('ingresses|'))).to.deep.equal(['ingresses|Ingress|a||', 'ingresses|Ingress|b||']);
    expect(secretIds(patch)).to.deep.equal(['secrets|Secret|a||type=kubernetes.io/tls|keep=a/x']);
    expect(secretIds({ ...patch, secretLabelSelector: 'tls=yes' })).to.deep.equal(['secrets|Secret|a|tls=yes|type=kubernetes.io/tls|keep=a/x']);
  });

  it('needs no discovery or publish Service watch with static URLs and addresses', () => {
    const ids = plan({ staticAdminUrls: true, staticPublishAddresses: true });
    expect(ids.some((id) => id.startsWith('adminEndpoints|') || id.startsWith('publishService|'))).to.equal(false);
  });

  const OWN = { ingressClass: 'kong', controllerName: 'meshdoor.dev/ingress-controller' };

  it('finds the TLS Secrets of served Ingresses only', () => {
    const refs = referencedSecrets([
      ingress('a', 'one', { tlsSecret: 's1' }),
      ingress('a', 'two', { tlsSecret: 's1' }),
      ingress('b', 'other', { className: 'nginx', tlsSecret: 's2' }),
      ingress('c', 'classless', { className: null, tlsSecret: 's3' }),
    ], [ingressClass('kong')], OWN);
    expect(refs).to.deep.equal([{ namespace: 'a', name: 's1' }]);
    const defaultClass = { ...ingressClass('kong'), metadata: { name: 'kong', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } };
    expect(referencedSecrets([ingress('c', 'classless', { className: null, tlsSecret: 's3' })], [defaultClass], OWN)).to.deep.equal([{ namespace: 'c', name: 's3' }]);
  });

  it('watches no Secret of a class that another controller owns', () => {
    const kic = { ...ingressClass('kong'), spec: { controller: 'ingress-controllers.konghq.com/kong' } };
    expect(referencedSecrets([ingress('a', 'one', { tlsSecret: 's1' })], [kic], OWN)).to.deep.equal([]);
  });
});

describe('gateway discovery', () => {
  it('prefers flag URLs, then MeshDoor URLs', () => {
    const s = settings({ kongAdmin: { ...DEFAULT_SETTINGS.kongAdmin, service: 'kong/kong-admin', portName: 'admin', urls: ['http://md:8001'] } });
    expect(discoverGateways({ settings: s, flagUrls: ['http://flag:8001'], adminEndpointSlices: [adminEndpointSlice(8001)] })).to.deep.equal([{ url: 'http://flag:8001' }]);
    expect(discoverGateways({ settings: s, flagUrls: [], adminEndpointSlices: [adminEndpointSlice(8001)] })).to.deep.equal([{ url: 'http://md:8001' }]);
  });

  it('verifies static https URLs against the given TLS name', () => {
    const s = settings({ kongAdmin: { ...DEFAULT_SETTINGS.kongAdmin, urls: ['https://10.0.0.7:8444', 'http://127.0.0.1:8001'] } });
    expect(discoverGateways({ settings: s, flagUrls: [], adminEndpointSlices: [], staticServerName: 'kong-admin.kong.svc' })).to.deep.equal([
      { url: 'http://127.0.0.1:8001' }, { url: 'https://10.0.0.7:8444', serverName: 'kong-admin.kong.svc' },
    ]);
  });

  it('uses every non-terminating endpoint on the named port, ready or not (a fresh DB-less Kong is not ready until configured)', () => {
    const slice = adminEndpointSlice(8444);
    slice.ports = [{ name: 'proxy', port: 8000 }, { name: 'admin', port: 8444 }];
    slice.endpoints = [
      { addresses: ['10.0.0.2'], conditions: { ready: true } },
      { addresses: ['10.0.0.1'], conditions: { ready: false } },
      { addresses: ['10.0.0.3'], conditions: { ready: false, terminating: true } },
      { addresses: ['fd00::4'], conditions: { ready: true } },
    ];
    expect(discoverGateways({ settings: settings(), flagUrls: [], adminEndpointSlices: [slice] })).to.deep.equal([
      { url: 'https://10.0.0.1:8444', serverName: 'kong-admin.kong.svc' },
      { url: 'https://10.0.0.2:8444', serverName: 'kong-admin.kong.svc' },
      { url: 'https://[fd00::4]:8444', serverName: 'kong-admin.kong.svc' },
    ]);
  });

  it('changes its state key when an endpoint flips readiness', () => {
    expect(gatewayStateKey([adminEndpointSlice(8001, true)])).to.not.equal(gatewayStateKey([adminEndpointSlice(8001, false)]));
  });
});
