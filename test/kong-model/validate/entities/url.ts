// LuaSocket's url.parse, which Kong's `url` shorthand uses: scheme,
// authority (userinfo@host:port), path; query and fragment are dropped.

export interface LuaSocketUrl {
  scheme?: string;
  host?: string;
  port?: string;
  path?: string;
}

export function parseLuaSocketUrl(url: string): LuaSocketUrl | null {
  if (url === '') return null;
  const out: LuaSocketUrl = {};
  let rest = url;
  const scheme = /^([A-Za-z0-9][A-Za-z0-9+\-.]*):/.exec(rest);
  if (scheme) {
    out.scheme = scheme[1];
    rest = rest.slice(scheme[0].length);
  }
  let authority: string | undefined;
  const auth = /^\/\/([^/]*)/.exec(rest);
  if (auth) {
    authority = auth[1];
    rest = rest.slice(auth[0].length);
  }
  rest = rest.replace(/#.*$/, '').replace(/\?.*$/, '').replace(/;.*$/, '');
  if (rest !== '') out.path = rest;
  if (authority === undefined) return out;
  let hostPart = authority.replace(/^[^@]*@/, '');
  const port = /:([^:\]]*)$/.exec(hostPart);
  if (port) {
    out.port = port[1];
    hostPart = hostPart.slice(0, port.index);
  }
  if (hostPart !== '') out.host = /^\[(.+)\]$/.exec(hostPart)?.[1] ?? hostPart;
  return out;
}
