// Kong's host and IP parsing (kong/tools/ip.lua: hostname_type, normalize_ip,
// check_hostname, format_host): the normal form Kong stores addresses in.
// Type is decided by exclusion, then validated.

export type HostType = 'ipv4' | 'ipv6' | 'name';

export interface ParsedHost {
  type: HostType;
  /** Normalised address (IPv4 without leading zeros, IPv6 fully expanded) or the name as given. */
  host: string;
  port: number | undefined;
}

export type HostResult = { ok: true; value: ParsedHost } | { ok: false; error: string };

export function hostnameType(name: string): HostType {
  const colons = name.split(':').length - 1;
  if (colons > 1) return 'ipv6';
  if (/^[0-9.]+$/.test(name.replaceAll(':', ''))) return 'ipv4';
  return 'name';
}

function parsePort(digits: string | undefined): number | 'invalid' | undefined {
  if (digits === undefined) return undefined;
  const port = Number(digits);
  return port > 65535 ? 'invalid' : port;
}

function normalizeIpv4(address: string): HostResult {
  const re = address.includes(':')
    ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d+)$/
    : /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  const m = re.exec(address);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  if (!m || octets.some((o) => o > 255)) return { ok: false, error: `invalid ipv4 address: ${address}` };
  const port = parsePort(m[5]);
  if (port === 'invalid') return { ok: false, error: 'invalid port number' };
  return { ok: true, value: { type: 'ipv4', host: octets.join('.'), port } };
}

function expandIpv6(check: string): string | null {
  let s = check;
  if (s.startsWith(':')) s = `0${s}`;
  if (s.endsWith(':')) s = `${s}0`;
  if (s.includes('::')) {
    const count = s.split(':').length - 1;
    s = s.replace('::', `:${'0:'.repeat(Math.max(0, 8 - count))}`);
  }
  const groups = s.split(':');
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.padStart(4, '0')).join(':').toLowerCase();
}

function normalizeIpv6(address: string): HostResult {
  let check = address;
  let port: number | undefined;
  const bracketed = /^(\[[^\]]*\])(.*)$/.exec(address);
  if (bracketed) {
    check = (bracketed[1] ?? '').slice(1, -1);
    const rest = bracketed[2] ?? '';
    if (rest !== '') {
      const pm = /^:(\d+)$/.exec(rest);
      if (!pm) return { ok: false, error: 'invalid ipv6 address' };
      const p = parsePort(pm[1]);
      if (p === 'invalid') return { ok: false, error: 'invalid port number' };
      port = p;
    }
  }
  const expanded = expandIpv6(check);
  if (expanded === null) return { ok: false, error: `invalid ipv6 address: ${address}` };
  return { ok: true, value: { type: 'ipv6', host: expanded, port } };
}

/** check_hostname: a name with an optional `:port`; FQDN trailing dot allowed. */
function checkHostname(address: string): HostResult {
  let name = address;
  let port: number | undefined;
  const pm = /:(\d+)$/.exec(address);
  if (pm) {
    name = address.slice(0, -(pm[0].length));
    const p = parsePort(pm[1]);
    if (p === 'invalid') return { ok: false, error: 'invalid port number' };
    port = p;
  }
  const invalid: HostResult = { ok: false, error: `invalid hostname: ${address}` };
  if (!/^[0-9A-Za-z\-._]+$/.test(name)) return invalid;
  const segments = name.split('.');
  if (segments[segments.length - 1] === '') segments.pop();
  if (segments.some((s) => s === '' || s.endsWith('-'))) return invalid;
  return { ok: true, value: { type: 'name', host: name, port } };
}

export function normalizeIp(address: string): HostResult {
  switch (hostnameType(address)) {
    case 'ipv4': return normalizeIpv4(address);
    case 'ipv6': return normalizeIpv6(address);
    case 'name': return checkHostname(address);
  }
}

/** format_host: `host:port`, IPv6 in brackets, `defaultPort` when none was given. */
export function formatHost(parsed: ParsedHost, defaultPort: number): string {
  const port = parsed.port ?? defaultPort;
  return parsed.type === 'ipv6' ? `[${parsed.host}]:${port}` : `${parsed.host}:${port}`;
}
