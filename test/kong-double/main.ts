// Runs the Kong test double as its own process (e2e tests):
//   node --import tsx test/kong-double/main.ts --mode dbless --port 8001 [--router-flavor f] [--token t] [--body-limit-mib m]
//        [--host 127.0.0.1] [--tls-cert-file f --tls-key-file f [--client-ca-file f]]   (HTTPS; a client CA requires client certificates)
// Prints `kong-double listening on <url>` once ready; stops on SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { RouterFlavor } from '../../src/model/index.ts';
import { startKongDouble } from './index.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'dbless' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'router-flavor': { type: 'string', default: 'traditional_compatible' },
    token: { type: 'string' },
    'body-limit-mib': { type: 'string' },
    'tls-cert-file': { type: 'string' },
    'tls-key-file': { type: 'string' },
    'client-ca-file': { type: 'string' },
  },
});

const read = (file: string | undefined): string | undefined => (file === undefined ? undefined : readFileSync(file, 'utf8'));
const cert = read(values['tls-cert-file']);
const key = read(values['tls-key-file']);
const ca = read(values['client-ca-file']);

const mode = values.mode === 'db' ? 'db' : 'dbless';
const double = await startKongDouble({
  mode,
  port: Number(values.port),
  host: values.host,
  routerFlavor: values['router-flavor'] as RouterFlavor,
  ...(values.token !== undefined ? { requireToken: values.token } : {}),
  ...(values['body-limit-mib'] !== undefined ? { configLimitBytes: Number(values['body-limit-mib']) * 2 ** 20 } : {}),
  ...(cert !== undefined && key !== undefined ? { tls: { cert, key, ...(ca !== undefined ? { ca, requestCert: true } : {}) } } : {}),
});
process.stdout.write(`kong-double listening on ${double.url} (mode ${mode})\n`);

const stop = (): void => {
  void double.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
