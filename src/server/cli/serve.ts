/**
 * `compa serve` and `npm start` (src/server/main.ts): one function starts the server and stops it cleanly.
 */
import { ConfigError, loadConfig } from '../config.ts';
import { buildApp } from '../app.ts';
import { parseOptions } from './args.ts';
import { EXIT, type Command } from './command.ts';

/**
 * Reads the configuration, migrates the database, starts the job loop and listens; stops cleanly on SIGTERM or
 * SIGINT (requests in flight finish, then the database closes). Resolves with the exit code once stopped: 0 after a
 * clean stop, 78 on a bad `COMPA_*` variable, 1 when the server cannot start. Callers then exit with that code.
 */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Compa cannot start: bad configuration in ${err.message}`);
      return EXIT.config;
    }
    throw err;
  }
  try {
    const app = await buildApp({ config });
    const stopped = new Promise<number>((resolve) => {
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.log.info({ signal }, 'stopping: finishing requests in flight, then closing the database');
        const timer = setTimeout(() => {
          app.log.error('did not stop within 10 s; exiting');
          process.exit(EXIT.failed);
        }, 10_000);
        timer.unref();
        await app.close();
        resolve(EXIT.ok);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
    });
    await app.listen({ host: config.host, port: config.port });
    app.log.info(`Compa is running: ${config.publicUrl}/ (API at ${config.publicUrl}/api/v1/openapi.json)`);
    if (process.stdout.isTTY) {
      const mail = config.smtpUrl ? 'sent through COMPA_SMTP_URL' : `written to ${config.outboxDir}/ as .eml files`;
      console.log(`\n  Compa is running at ${config.publicUrl}/${config.demo ? ' (demo page)' : ''}\n  Mail is ${mail}. Ctrl-C stops it.\n`);
    }
    return await stopped;
  } catch (err) {
    console.error('Compa failed to start:', err instanceof Error ? err.message : err);
    return EXIT.failed;
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the server: the API, the widget bundles, the pages, the background jobs',
  help: `usage: compa serve

Starts Compa as \`npm start\` does (without building the widgets first: run \`npm run build\` once after an
update). On start it creates and migrates the database, seeds the demo content once when COMPA_DEMO is true,
starts the background jobs (mail, reminders, story feeds) and listens on COMPA_HOST:COMPA_PORT.
Everything is configured by the COMPA_* variables (README: "Configuration"); there are no options.

SIGTERM or Ctrl-C stops it cleanly: requests in flight finish, then the database is closed.

Exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken) or did not stop within 10 s,
78 a COMPA_* variable is wrong (the message names it).
`,
  async run(args) {
    parseOptions(args, {});
    // Exit as soon as the server is closed, as `npm start` does: nothing else is left to finish.
    process.exit(await serve());
  },
};
