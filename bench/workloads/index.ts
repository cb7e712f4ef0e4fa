// All workloads, in the order they run.
import type { Workload } from '../workload.ts';
import { adminCostWorkload } from './admin-cost.ts';
import { admissionWorkload } from './admission.ts';
import { adminTlsWorkload } from './admin-tls.ts';
import { burstWorkload } from './burst.ts';
import { cliTranslateWorkload } from './cli-translate.ts';
import { coldStartWorkload } from './cold-start.ts';
import { eventPushWorkload } from './event-push.ts';
import { instructionsWorkload } from './instructions.ts';
import { memoryWorkload } from './memory.ts';
import { pluginsWorkload } from './plugins.ts';
import { rejectedPushWorkload } from './rejected-push.ts';
import { retranslateWorkload } from './retranslate.ts';
import { soakWorkload } from './soak.ts';
import { storeWorkload } from './store.ts';
import { translateWorkload } from './translate.ts';
import { watchesWorkload } from './watches.ts';

export const WORKLOADS: Workload[] = [
  translateWorkload,
  instructionsWorkload,
  retranslateWorkload,
  storeWorkload,
  cliTranslateWorkload,
  adminCostWorkload,
  eventPushWorkload,
  rejectedPushWorkload,
  memoryWorkload,
  coldStartWorkload,
  burstWorkload,
  soakWorkload,
  adminTlsWorkload,
  watchesWorkload,
  pluginsWorkload,
  admissionWorkload,
];
