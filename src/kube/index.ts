// The Kubernetes API side: clients, watches and their caches, every write the
// controller makes, Events, leader election and the start-up checks.
export { createKubeClients, httpStatus, podNamespace } from './clients.ts';
export type { KubeClients } from './clients.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { EventRecorder } from './events.ts';
export type { EventTarget } from './events.ts';
export { informerSourceFactory } from './informer-source.ts';
export { desiredLoadBalancerIngress, IngressStatusWriter } from './ingress-status.ts';
export { FIELD_MANAGER, kubeWriter } from './kube-writer.ts';
export type { KubeWriter, MergePatch } from './kube-writer.ts';
export { LeaderElector, leaderIdentity } from './leader-election.ts';
export type { LeaderElectionTimings } from './leader-election.ts';
export { kubeLeaseApi } from './lease-api.ts';
export type { LeaseApi } from './lease-api.ts';
export { missingMeshDoorMessage, preflight, preflightApi } from './preflight.ts';
export type { SupervisorTimings } from './supervised-watch.ts';
export { WatchSet } from './watch-set.ts';
export type { WatchRole, WatchSourceFactory, WatchSpec } from './watch-source.ts';
