import { expect } from 'chai';
import { rejectionsFromStatus } from '../../src/controller/rejection-status.ts';
import { FAILURE_REASONS, isFailureReason } from '../../src/model/failure-reasons.ts';

describe('failure reasons', () => {
  it('are a closed set: a name outside it (or inherited from Object) is not a reason', () => {
    for (const reason of Object.keys(FAILURE_REASONS)) expect(isFailureReason(reason), reason).to.equal(true);
    for (const other of ['R', 'toString', 'constructor', '', 'serviceNotFound', undefined, 3]) expect(isFailureReason(other), String(other)).to.equal(false);
  });

  it('a rejection read back from a MeshDoor status keeps a named reason and turns any other into KongRejected', () => {
    const entry = (reason: unknown) => ({ entity: 'routes', digest: 'd', exclude: ['Ingress/a/b'], kind: 'Ingress', namespace: 'a', name: 'b', reason, message: 'm' });
    const read = rejectionsFromStatus({ kongRejections: [entry('InvalidPath'), entry('Whatever'), entry(undefined)] });
    expect(read.map((r) => r.failure.reason)).to.deep.equal(['InvalidPath', 'KongRejected', 'KongRejected']);
  });
});
