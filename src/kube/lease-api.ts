// The three Lease calls leader election needs. Errors keep the API's HTTP status
// (404 → undefined from get, 409 → LeaseConflictError) so the loop can decide.
import type { V1Lease } from '@kubernetes/client-node';
import { httpStatus, type KubeClients } from './clients.ts';

export interface LeaseApi {
  get(namespace: string, name: string): Promise<V1Lease | undefined>;
  create(namespace: string, lease: V1Lease): Promise<V1Lease>;
  /** PUT with the lease's resourceVersion: fails with 409 when someone else wrote first. */
  replace(namespace: string, name: string, lease: V1Lease): Promise<V1Lease>;
}

export function kubeLeaseApi(clients: KubeClients): LeaseApi {
  const api = clients.coordination;
  return {
    async get(namespace, name) {
      try {
        return await api.readNamespacedLease({ namespace, name });
      } catch (err) {
        if (httpStatus(err) === 404) return undefined;
        throw err;
      }
    },
    create: (namespace, body) => api.createNamespacedLease({ namespace, body }),
    replace: (namespace, name, body) => api.replaceNamespacedLease({ namespace, name, body }),
  };
}
