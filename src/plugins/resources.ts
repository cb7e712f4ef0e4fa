// The Kubernetes resources of Kong plugins and consumers, group
// configuration.konghq.com/v1, as the Kong Ingress Controller defines them
// (deploy/crds/kongplugin.yaml, kongclusterplugin.yaml, kongconsumer.yaml).
// Plain data as read from the API server or a manifest: nothing is trusted.
import type { V1ObjectMeta } from '@kubernetes/client-node';

export const KONG_CONFIGURATION_API_VERSION = 'configuration.konghq.com/v1';

/** Names KongPlugins / KongClusterPlugins on an Ingress, a Service or a KongConsumer. */
export const PLUGINS_ANNOTATION = 'konghq.com/plugins';
/** On a KongClusterPlugin, `"true"`: the plugin applies to every route served. */
export const GLOBAL_PLUGIN_LABEL = 'global';
/** On a Secret, the type of the credential it holds (key-auth, basic-auth, ...). */
export const CREDENTIAL_LABEL = 'konghq.com/credential';

export interface SecretKeyRef {
  name?: string;
  key?: string;
  /** KongClusterPlugin only: the Secret's namespace. */
  namespace?: string;
}

export interface ConfigPatch {
  /** A JSON pointer into the configuration. */
  path?: string;
  valueFrom?: { secretKeyRef?: SecretKeyRef };
}

export interface PluginOrdering {
  before?: Record<string, string[]>;
  after?: Record<string, string[]>;
}

/** A KongPlugin or a KongClusterPlugin: the two differ only in scope and in Secret namespaces. */
export interface KongPluginResource {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  plugin?: string;
  config?: unknown;
  configFrom?: { secretKeyRef?: SecretKeyRef };
  configPatches?: ConfigPatch[];
  disabled?: boolean;
  protocols?: string[];
  ordering?: PluginOrdering;
  instance_name?: string;
  consumerRef?: string;
  run_on?: string;
}

export interface KongConsumerResource {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  username?: string;
  custom_id?: string;
  /** Names of Secrets in the consumer's namespace, each labelled konghq.com/credential. */
  credentials?: string[];
  consumerGroups?: string[];
  spec?: { tags?: string[] };
}

export type PluginKind = 'KongPlugin' | 'KongClusterPlugin';
