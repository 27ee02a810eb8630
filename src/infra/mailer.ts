import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../lib/logger';

export type MailMessage = { to: string; subject: string; text: string };

/**
 * Sends plain-text mail through SMTP (`SMTP_URL`). Without SMTP (demo mode, tests) each mail is written as an `.eml`
 * file under `DATA_DIR/mail/` instead, so it can be read (and tested) without a mail server.
 */
export function createMailer(deps: { smtpUrl: string | undefined; from: string; dataDir: string; logger: Logger }) {
  const transport = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const mailDir = path.resolve(deps.dataDir, 'mail');

  async function send(message: MailMessage): Promise<void> {
    const info = (await transport.sendMail({ from: deps.from, ...message })) as { message?: unknown };
    if (deps.smtpUrl) return;
    if (!Buffer.isBuffer(info.message)) throw new Error('mail: the stream transport returned no message');
    await mkdir(mailDir, { recursive: true });
    const file = path.join(mailDir, `${Date.now()}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, info.message);
    deps.logger.info({ to: message.to, file }, 'mail written to a file (no SMTP_URL configured)');
  }

  return { send, mailDir, viaSmtp: Boolean(deps.smtpUrl) };
}

export type Mailer = ReturnType<typeof createMailer>;
