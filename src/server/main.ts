import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';

/** The launcher: read configuration, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Compa cannot start: bad configuration in ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await buildApp({ config });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'stopping: finishing requests in flight, then closing the database');
    const timer = setTimeout(() => {
      app.log.error('did not stop within 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
  app.log.info(`Compa is running: ${config.publicUrl}/ (API at ${config.publicUrl}/api/v1/openapi.json)`);
  if (process.stdout.isTTY) {
    const mail = config.smtpUrl ? 'sent through COMPA_SMTP_URL' : `written to ${config.outboxDir}/ as .eml files`;
    console.log(`\n  Compa is running at ${config.publicUrl}/${config.demo ? ' (demo page)' : ''}\n  Mail is ${mail}. Ctrl-C stops it.\n`);
  }
}

main().catch((err) => {
  console.error('Compa failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
