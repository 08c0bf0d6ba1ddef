import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** A real SMTP server, in-process, that keeps every message it receives (parsed). */
export async function startSmtp(): Promise<{ port: number; messages: ParsedMail[]; raw: string[]; next: (timeoutMs?: number) => Promise<ParsedMail>; close: () => Promise<void> }> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const waiters: Array<(m: ParsedMail) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        raw.push(text);
        const parsed = await simpleParser(text);
        messages.push(parsed);
        waiters.shift()?.(parsed);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  let seen = 0;
  return {
    port,
    messages,
    raw,
    /** The next message not yet returned by `next`. */
    next(timeoutMs = 15_000) {
      if (messages.length > seen) return Promise.resolve(messages[seen++]!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no mail received in time')), timeoutMs);
        waiters.push((m) => {
          clearTimeout(timer);
          seen++;
          resolve(m);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
