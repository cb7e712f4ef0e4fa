// Workload 8: the admin mutual-TLS certificates. Issuing (a CA and both
// leaves, as on first start or a CA rotation) and planning the next rotation
// step from the Secrets (the leader's work when something changed; a settled
// plan is reused for a minute otherwise).
import { rotationWrites } from '../../src/admin-tls/rotation-apply.ts';
import { DEFAULT_ROTATION_POLICY, planRotation, type ObservedTls } from '../../src/admin-tls/rotation-plan.ts';
import { applyDataPatch } from '../../src/admin-tls/secret-data.ts';
import { row } from '../report.ts';
import { repeat, summarize } from '../stats.ts';
import { runsOr } from '../workload.ts';
import type { Workload } from '../workload.ts';

const POLICY = { ...DEFAULT_ROTATION_POLICY, servingDnsNames: ['kong-admin.kong.svc', 'kong-admin.kong.svc.cluster.local'] };
const EMPTY: ObservedTls = { ca: undefined, serving: undefined, client: undefined, rolledOut: true };

async function bootstrap(now: number): Promise<ObservedTls> {
  const observed: ObservedTls = { ...EMPTY };
  for (const write of await rotationWrites({ kind: 'bootstrap', reason: '' }, EMPTY, now, POLICY)) {
    observed[write.role] = applyDataPatch(observed[write.role], write.data);
  }
  return observed;
}

export const adminTlsWorkload: Workload = {
  name: 'admin-tls',
  description: 'admin certificates: issue a CA and both leaves; plan the next rotation step',
  async run(ctx) {
    const now = Date.now();
    const issue = await repeat({ warmup: 2, runs: runsOr(ctx, ctx.quick ? 5 : 30) }, async () => {
      const started = performance.now();
      await bootstrap(now);
      return performance.now() - started;
    });
    const settled = await bootstrap(now);
    const plan = await repeat({ warmup: 5, runs: runsOr(ctx, ctx.quick ? 20 : 200) }, () => {
      const started = performance.now();
      planRotation(settled, now, POLICY);
      return performance.now() - started;
    });
    return [
      row({ workload: 'admin-tls', n: 3, metric: 'issue CA + serving + client', unit: 'ms', summary: summarize(issue) }),
      row({ workload: 'admin-tls', n: 3, metric: 'plan rotation step', unit: 'ms', summary: summarize(plan) }),
    ];
  },
};
