// Certificates for the Admin API mutual-TLS tests, made with the controller's
// own X.509 code.
import { createCa, issueLeaf, type KeyPairPem } from '../../src/admin-tls/x509.ts';

export const ADMIN_SERVER_NAME = 'kong-admin.kong.svc';

export interface MtlsMaterial {
  ca: KeyPairPem;
  server: KeyPairPem;
  client: KeyPairPem;
}

const HOUR = 3_600_000;

export async function makeMtlsMaterial(name = 'test CA', validFrom = Date.now() - HOUR, validTo = Date.now() + HOUR): Promise<MtlsMaterial> {
  const ca = await createCa({ commonName: name, notBefore: new Date(Date.now() - 2 * HOUR), notAfter: new Date(Date.now() + 2 * HOUR) });
  const times = { notBefore: new Date(validFrom), notAfter: new Date(validTo) };
  return {
    ca,
    server: await issueLeaf(ca, { commonName: ADMIN_SERVER_NAME, usage: 'server', dnsNames: [ADMIN_SERVER_NAME], ...times }),
    client: await issueLeaf(ca, { commonName: 'meshdoor', usage: 'client', ...times }),
  };
}
