// The schema fetcher against a small Admin API that serves the schemas a real
// Kong 3.9.3 published: one request per gateway, version and plugin; 404 is
// "not enabled" (asked again after its time); failures are not remembered.
import { expect } from 'chai';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KongAdminClient } from '../../src/kong/admin-client.ts';
import { PluginSchemaFetcher, checkPlugin } from '../../src/plugins/index.ts';
import { recordedPluginNames, recordedSchema } from './recorded-schemas.ts';

interface SchemaServer { url: string; hits: string[]; failWith?: number; close(): Promise<void> }

async function startSchemaServer(): Promise<SchemaServer> {
  const enabled = new Set(recordedPluginNames());
  const state: SchemaServer = { url: '', hits: [], close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    state.hits.push(url);
    const name = decodeURIComponent(url.replace(/^\/schemas\/plugins\//, ''));
    res.setHeader('content-type', 'application/json; charset=utf-8');
    if (state.failWith !== undefined) {
      res.statusCode = state.failWith;
      res.end('{"message":"An unexpected error occurred"}');
    } else if (enabled.has(name)) {
      res.end(JSON.stringify(recordedSchema(name)));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: `No plugin named '${name}'` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => { server.close(() => resolve()); });
  return state;
}

describe('plugin schema fetcher', () => {
  let server: SchemaServer;
  let client: KongAdminClient;

  beforeEach(async () => {
    server = await startSchemaServer();
    client = new KongAdminClient({ url: server.url, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  });
  afterEach(async () => {
    client.close();
    await server.close();
  });

  it('asks once per gateway, version and plugin, and the answer validates like Kong', async () => {
    const fetcher = new PluginSchemaFetcher();
    const [a, b] = await Promise.all([fetcher.schemaFor(client, '3.9.3', 'rate-limiting'), fetcher.schemaFor(client, '3.9.3', 'rate-limiting')]);
    expect(a).to.equal(b);
    await fetcher.schemaFor(client, '3.9.3', 'rate-limiting');
    expect(server.hits).to.deep.equal(['/schemas/plugins/rate-limiting']);
    const check = checkPlugin({ name: 'rate-limiting', config: { minute: 'five' } }, a);
    expect(check.problems).to.deep.equal([{ field: 'config.minute', message: 'expected a number' }]);
    await fetcher.schemaFor(client, '3.10.0', 'rate-limiting');
    expect(server.hits, 'a new Kong version is asked again').to.have.length(2);
  });

  it('answers several plugins at once, an unknown one as not enabled (Kong\'s /config message)', async () => {
    const answers = await new PluginSchemaFetcher().schemasFor(client, '3.9.3', ['cors', 'no-such-plugin', 'cors']);
    expect([...answers.keys()]).to.deep.equal(['cors', 'no-such-plugin']);
    expect(answers.get('cors')?.kind).to.equal('schema');
    const unknown = answers.get('no-such-plugin');
    expect(unknown).to.deep.equal({ kind: 'not-enabled' });
    expect(checkPlugin({ name: 'no-such-plugin', config: {} }, unknown ?? { kind: 'not-enabled' }).problems).to.deep.equal([
      { field: 'name', message: "plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property" },
    ]);
  });

  it('asks again about a plugin the gateway did not have once its time is up', async () => {
    const fetcher = new PluginSchemaFetcher({ notEnabledTtlMs: 1 });
    await fetcher.schemaFor(client, '3.9.3', 'my-custom');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const first = await fetcher.schemaFor(client, '3.9.3', 'my-custom');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await fetcher.schemaFor(client, '3.9.3', 'my-custom');
    expect(server.hits).to.have.length(3);
    expect(again, 'the same verdict is the same answer (translators compare answers by identity)').to.equal(first);
  });

  it('does not remember a gateway that failed, and says the schema check was skipped', async () => {
    const fetcher = new PluginSchemaFetcher();
    server.failWith = 500;
    const failed = await fetcher.schemaFor(client, '3.9.3', 'cors');
    expect(failed.kind).to.equal('unavailable');
    const check = checkPlugin({ name: 'cors', config: { origins: 'not-a-list' } }, failed);
    expect(check.schemaChecked).to.equal(false);
    expect(check.skipped).to.match(/^the gateway's schema could not be read: GET .*\/schemas\/plugins\/cors: 500/);
    const failedAgain = await fetcher.schemaFor(client, '3.9.3', 'cors');
    expect(server.hits, 'a failure is asked again').to.have.length(2);
    expect(failedAgain, 'the same failure is the same answer, so plans checked against it stay good').to.equal(failed);
    delete server.failWith;
    expect((await fetcher.schemaFor(client, '3.9.3', 'cors')).kind).to.equal('schema');
    expect(server.hits).to.have.length(3);
  });
});
