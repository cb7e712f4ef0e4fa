import { expect } from 'chai';
import { kongEntityId } from '../../src/model/index.ts';

describe('kongEntityId', () => {
  it('matches the ids Kong and the Kong Ingress Controller generate', () => {
    // Values recomputed from Kong's 15-off_spec fixtures and KIC golden files.
    expect(kongEntityId('services', 'my-service')).to.equal('0855b320-0dd2-547d-891d-601e9b38647f');
    expect(kongEntityId('routes', 'my-route')).to.equal('481a9539-f49c-51b6-b2e2-fe99ee68866c');
    expect(kongEntityId('services', 'foo-namespace.foo-svc.80')).to.equal('fe1e2edc-5479-52fe-b0f4-b90d8d5f83ba');
  });
});
