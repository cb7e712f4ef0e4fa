#!/usr/bin/env node
// The meshdoor command. First of all, a Node.js version check written for any
// Node (no newer syntax, nothing imported before it): older versions fail deep
// inside dependencies with messages that do not say what is wrong.
// Then: in a checkout (src/ present) the TypeScript sources through tsx, so a
// stale dist/ from an earlier `npm run build` never runs; in the image (no
// src/) the compiled dist/.
const MIN_NODE = [22, 19]; // keep in step with package.json "engines"
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
  process.stderr.write(`meshdoor: needs Node.js >= ${MIN_NODE.join('.')} (this is ${process.version}); install Node.js 24 LTS or 22.19+\n`);
  process.exit(1);
}

const { existsSync } = await import('node:fs');
const { fileURLToPath } = await import('node:url');
const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(fileURLToPath(sources))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
