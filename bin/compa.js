#!/usr/bin/env node
// The `compa` command (`npx compa …` in the repository; `compa --help` lists the commands). It runs the
// TypeScript sources directly, which needs a Node.js that strips types: 22.18+, 23.6+ or 24 (on 22.12–22.17 it
// restarts itself with --experimental-strip-types). Written to parse on any Node, to say so clearly on an old one.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`compa needs Node.js 22.12 or newer (24 LTS recommended); this is Node.js ${process.versions.node}.`);
  console.error('In the repository, `npm run compa -- <command>` runs on the Node 24 that `npm install` brings in.');
  process.exit(1);
}

if (!process.features.typescript) {
  // Node 22.12–22.17: type stripping (and node:sqlite before 22.13) are behind flags.
  const flags = ['--experimental-strip-types', '--experimental-sqlite', '--disable-warning=ExperimentalWarning'];
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  try {
    await import('../src/server/cli.ts');
  } catch (err) {
    if (err?.code !== 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') throw err;
    console.error('compa cannot run from node_modules: Node.js does not strip the types of .ts files there.');
    console.error('Run it from a clone of the Compa repository: `npm install`, then `npx compa <command>`.');
    process.exit(1);
  }
}
