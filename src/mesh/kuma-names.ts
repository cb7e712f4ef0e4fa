// Names of the containers Kuma's injector adds to a pod.
export const SIDECAR_CONTAINER = 'kuma-sidecar';
/** The iptables init container; absent when Kuma's CNI sets up the redirect. */
export const INIT_CONTAINER = 'kuma-init';
