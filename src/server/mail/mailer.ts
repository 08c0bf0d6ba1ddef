import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Language of the message (sets Content-Language). */
  locale: string;
  /** One-click unsubscribe URL (RFC 8058): added as List-Unsubscribe + List-Unsubscribe-Post. Absent on
   * transactional mail (a petition receipt) that no list sends. */
  unsubscribeUrl?: string;
  /** Files to attach (a webinar's calendar file). */
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

function message(from: string, mail: OutgoingMail) {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
    headers: {
      'Content-Language': mail.locale,
      ...(mail.unsubscribeUrl
        ? { 'List-Unsubscribe': `<${mail.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {}),
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/** Without SMTP settings: every message is written as an .eml file that any mail program opens. */
export function outboxMailer(dir: string, from: string, log: FastifyBaseLogger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const absolute = resolve(dir);
  let made = false;
  return {
    async send(mail) {
      const info = await transport.sendMail(message(from, mail));
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      const file = join(absolute, name);
      if (!made) await mkdir(absolute, { recursive: true });
      made = true;
      try {
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await mkdir(absolute, { recursive: true }); // the directory was removed meanwhile
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
      }
      log.info({ file }, 'mail written to the outbox (no COMPA_SMTP_URL set)');
    },
    async close() {
      transport.close();
    },
  };
}

/** With COMPA_SMTP_URL: sent through that server, with timeouts on every step. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return {
    async send(mail) {
      await transport.sendMail(message(from, mail));
    },
    async close() {
      transport.close();
    },
  };
}
