// Why an object, or part of it, is not in Kong's configuration as written: the
// closed set of reasons a failure (and the Warning Event and MeshDoor status
// entry made from it) can carry. One line each: what it means.
export const FAILURE_REASONS = {
  // The translator: bad or missing input, decided from the snapshot alone.
  ServiceNotFound: 'a backend names a Service that does not exist',
  PortNotFound: 'a backend names a port its Service does not have, or sets both or neither of port.number and port.name',
  InvalidBackend: 'a backend names no Service',
  UnsupportedBackend: 'a backend is a resource, not a Service',
  ExternalNameRefused: 'an ExternalName Service names an address meshdoor will not route to',
  InvalidAnnotation: 'a konghq.com/ or meshdoor.dev/ annotation has a value meshdoor refuses',
  InvalidHost: 'a rules[].host or tls[].hosts entry is not a host Kong accepts',
  InvalidPath: 'a path, or its pathType, is not one Kong accepts or routes as Kubernetes means it',
  PathConflict: 'an older Ingress (or an earlier rule) already serves this host and path',
  HostConflict: 'an older Ingress already serves this TLS host with another Secret',
  HostNotOwned: 'under Namespace host ownership, another namespace owns the host',
  DefaultBackendConflict: 'an older Ingress already sets spec.defaultBackend',
  SecretNotFound: 'a tls[].secretName names a Secret that does not exist',
  InvalidCertificate: 'a TLS Secret holds no certificate and key Kong could serve',
  TranslationError: 'translating the object failed unexpectedly (a meshdoor bug); the rest is still configured',
  InvalidSpec: 'a MeshDoor spec the controller refuses (its settings stay as they were)',
  // Plugins and consumers (konghq.com/plugins, KongPlugin, KongClusterPlugin, KongConsumer).
  PluginNotFound: 'konghq.com/plugins names a KongPlugin or KongClusterPlugin that does not exist',
  PluginWrongNamespace: 'konghq.com/plugins names a KongPlugin of another namespace',
  InvalidPlugin: 'a KongPlugin or KongClusterPlugin is malformed (no plugin name, config and configFrom both set, ...)',
  PluginSecretMissing: 'a Secret, or a key of it, named by configFrom or configPatches does not exist',
  InvalidPluginConfig: 'a plugin configuration Kong would refuse (checked against the plugin schema, or its structure offline)',
  DuplicatePlugin: 'two plugins of the same Kong plugin name on one route, service, consumer or globally',
  InvalidConsumer: 'a KongConsumer is malformed (no username or custom_id, an unsupported field)',
  ConsumerConflict: 'an older KongConsumer already uses this username, custom_id or credential',
  CredentialSecretMissing: 'a KongConsumer credentials entry names a Secret that does not exist',
  InvalidCredential: 'a credential Secret lacks its konghq.com/credential type or a field that type needs',
  // Kong and the controller: found after translation.
  KongRejected: 'Kong refused the entities made from the object; they are left out',
  NoReadyEndpoints: 'a configured Service has no ready endpoint, so Kong answers 503 for it',
  ServingLastValid: 'the object is broken; the last version Kong accepted is served instead',
} as const satisfies Record<string, string>;

export type FailureReason = keyof typeof FAILURE_REASONS;

export function isFailureReason(value: unknown): value is FailureReason {
  return typeof value === 'string' && Object.hasOwn(FAILURE_REASONS, value);
}
