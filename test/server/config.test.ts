import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../src/server/config.ts';
import { REPO_ROOT } from './helpers.ts';

test('defaults: port 8787, SQLite and outbox under ./data, public URL and allowed origin on localhost', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8787);
  assert.equal(config.databaseUrl, 'sqlite:./data/compa.db');
  assert.equal(config.outboxDir, './data/outbox');
  assert.equal(config.publicUrl, 'http://localhost:8787');
  assert.deepEqual(config.allowedOrigins, ['http://localhost:8787']);
  assert.equal(config.trustProxy, false, 'X-Forwarded-For is not trusted unless configured');
  assert.equal(config.bodyLimit, 16 * 1024);
});

test('the default public URL follows COMPA_PORT, and the allowed origin follows the public URL', () => {
  assert.equal(loadConfig({ COMPA_PORT: '9100' }).publicUrl, 'http://localhost:9100');
  assert.deepEqual(loadConfig({ COMPA_PORT: '9100' }).allowedOrigins, ['http://localhost:9100']);
  const behindProxy = loadConfig({ COMPA_PUBLIC_URL: 'https://act.example.org/compa/' });
  assert.equal(behindProxy.publicUrl, 'https://act.example.org/compa', 'trailing slash removed so links join cleanly');
  assert.deepEqual(behindProxy.allowedOrigins, ['https://act.example.org'], 'an origin has no path');
});

test('configured values are parsed', () => {
  const config = loadConfig({
    COMPA_ALLOWED_ORIGINS: 'https://ngo.example, https://partner.example:8443',
    COMPA_RATE_LIMIT_WRITE_MAX: '3',
    COMPA_TRUST_PROXY: '1',
    COMPA_DEMO: 'false',
  });
  assert.deepEqual(config.allowedOrigins, ['https://ngo.example', 'https://partner.example:8443']);
  assert.equal(config.rateLimit.writeMax, 3);
  assert.equal(config.trustProxy, 1);
  assert.equal(config.demo, false);
  assert.equal(config.privacyPolicyUrl, null, 'no demo privacy page outside demo mode');
});

const badValues: [variable: string, value: string][] = [
  ['COMPA_PORT', 'abc'],
  ['COMPA_PORT', '70000'],
  ['COMPA_PUBLIC_URL', 'ftp://x'],
  ['COMPA_ALLOWED_ORIGINS', 'https://ngo.example/embed'],
  ['COMPA_RATE_LIMIT_WRITE_MAX', '0'],
  ['COMPA_SECRET', 'too-short'],
  ['COMPA_DATABASE_URL', 'mysql://db/compa'],
  ['COMPA_LOG_LEVEL', 'loud'],
  ['COMPA_FOO', '1'],
];

for (const [variable, value] of badValues) {
  test(`${variable}=${value} is refused with an error naming ${variable}`, () => {
    assert.throws(
      () => loadConfig({ [variable]: value }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        assert.equal(err.variable, variable);
        assert.match(err.message, new RegExp(`\\b${variable}\\b`));
        return true;
      },
    );
  });
}

test('a rejected secret is not echoed in the error (it ends up in service logs)', () => {
  const secrets: Record<string, string> = {
    COMPA_SECRET: 'hunter2-but-not-long-enough',
    COMPA_SMTP_URL: 'smpt://mailer:S3cretPassw0rd@mail.example.org:587',
    COMPA_DATABASE_URL: 'postgress://compa:S3cretPassw0rd@db.internal/compa',
  };
  for (const [variable, value] of Object.entries(secrets)) {
    assert.throws(
      () => loadConfig({ [variable]: value }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.variable, variable);
        assert.ok(!err.message.includes(value), `${variable}'s value leaked into: ${err.message}`);
        assert.ok(!err.message.includes('S3cretPassw0rd') && !err.message.includes('hunter2'), err.message);
        return true;
      },
    );
  }
});

test('the server refuses to start on a bad value, exits non-zero and names the variable', () => {
  const child = spawnSync(process.execPath, ['src/server/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, COMPA_PORT: 'nope' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  assert.equal(child.error, undefined, `spawn failed: ${child.error}`);
  assert.notEqual(child.status, 0, 'exit status');
  assert.notEqual(child.status, null, 'the process exited by itself (not killed by the timeout)');
  assert.match(child.stderr, /COMPA_PORT/);
});
