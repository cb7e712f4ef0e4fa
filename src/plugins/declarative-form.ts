// Plugin entities in the form of top-level entries of Kong's declarative
// configuration (DB-less `/config`): there a plugin's route, service and
// consumer are references by id or name (strings), while the Admin API
// (DB mode) takes and lists them as `{id}`.
import type { KongPluginEntity } from './entities.ts';

export type DeclarativePlugin = Omit<KongPluginEntity, 'route' | 'service' | 'consumer'> & {
  route?: string;
  service?: string;
  consumer?: string;
};

export function declarativePlugin(entity: KongPluginEntity): DeclarativePlugin {
  const { route, service, consumer, ...rest } = entity;
  const out: DeclarativePlugin = { ...rest };
  if (route) out.route = route.id;
  if (service) out.service = service.id;
  if (consumer) out.consumer = consumer.id;
  return out;
}
