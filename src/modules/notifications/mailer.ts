/**
 * Email of notifications, through the SMTP server of KLOE_SMTP_URL (nodemailer). Sending is queued and
 * never awaited by the request that caused it: a slow or refusing server costs a log line, not a page.
 */
import nodemailer from 'nodemailer';
import PQueue from 'p-queue';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Queues the mail; returns at once. */
  send(mail: Mail): void;
  /** Resolves when every queued mail has been tried (tests, and stopping). */
  idle(): Promise<void>;
  close(): void;
}

export function createMailer(options: {
  url: string;
  from: string;
  log: (message: string, error: unknown) => void;
}): Mailer {
  const transport = nodemailer.createTransport(options.url);
  // Two at a time: a burst (a lead assigning every KLOE) does not open a connection per mail.
  const queue = new PQueue({ concurrency: 2 });
  return {
    send(mail) {
      void queue.add(async () => {
        try {
          await transport.sendMail({ from: options.from, ...mail });
        } catch (error) {
          options.log(`could not send a notification email to ${mail.to}`, error);
        }
      });
    },
    idle: () => queue.onIdle(),
    close: () => transport.close(),
  };
}
