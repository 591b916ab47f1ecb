/**
 * A real SMTP server on this machine for tests of email (smtp-server from npm): it receives what kloe sends
 * and keeps each message's envelope and text. `hold()` keeps the next messages waiting in the DATA step until
 * released, and `refuse()` answers every recipient with a permanent error, so tests can show that a slow or
 * refusing server never holds up or fails the request that sent the mail.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  /** The message as sent: headers and (quoted-printable) body. */
  raw: string;
  /** The message with its quoted-printable body decoded, to search for what was written. */
  text: string;
}

/** Quoted-printable (RFC 2045) back to text: soft line breaks joined, =XX bytes decoded as UTF-8. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? /^[0-9A-F]{2}$/.exec(joined.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** Resolves when `count` messages have been received, or rejects after `ms`. */
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  hold(): { release: () => void; arrived: Promise<void> };
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let refusing = false;
  let held: { gate: Promise<void>; arrived: () => void } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusing) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const waiting = held;
        const accept = () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeQuotedPrintable(raw) });
          callback();
        };
        if (waiting) {
          waiting.arrived();
          void waiting.gate.then(accept);
        } else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(count, ms = 10_000) {
      const until = Date.now() + ms;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, received ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return received;
    },
    hold() {
      let release!: () => void;
      let arrived!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      held = { gate, arrived };
      return {
        release: () => {
          held = undefined;
          release();
        },
        arrived: reached,
      };
    },
    refuse(on) {
      refusing = on;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
