/**
 * A real SMTP server for the tests (smtp-server on a free port, no TLS, no sign-in needed) that keeps every message
 * it accepts, parsed by mailparser; it can be told to refuse, and the outbox delivered to it once.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AppContext } from '../../server/context.ts';
import {
  DEFAULT_DELIVERY,
  deliverPass,
  smtpTransport,
  type DeliveryOptions,
  type PassResult,
} from '../../server/mail/delivery.ts';
import { LOOPBACK_SMTP_OPTIONS } from './smtpServerOptions.ts';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO), as the server took them. */
  envelopeTo: string[];
  envelopeFrom: string;
  /** The message as it came over the wire. */
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  /** Every message accepted so far, in the order they arrived. */
  received: ReceivedMail[];
  /** Connections opened to it so far (a pooled transport opens a few and keeps them). */
  connections(): number;
  /** The next `times` messages are refused at the end of their data with `code` and `message` (451, 550 …). */
  refuseNext(code: number, message: string, times?: number): void;
  /**
   * The next message is held: its data is read but never answered, as a server that stalls mid-send. Resolves
   * once that message's data has arrived.
   */
  holdNext(): Promise<void>;
  /** Waits until at least `count` messages have arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** Starts an SMTP server on a free port (or `port`, to bring one back where it was). */
export async function startSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const refusals: { code: number; message: string }[] = [];
  const holds: (() => void)[] = [];
  let connections = 0;
  const server = new SMTPServer({
    ...LOOPBACK_SMTP_OPTIONS,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const hold = holds.shift();
        if (hold) return hold();
        const refusal = refusals.shift();
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              envelopeTo: session.envelope.rcptTo.map((to) => to.address),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // A client's connection reset (a process the test killed with SIGKILL) is that client's end, not the server's.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  const actualPort = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    received,
    connections: () => connections,
    refuseNext(code, message, times = 1) {
      for (let i = 0; i < times; i += 1) refusals.push({ code, message });
    },
    holdNext: () => new Promise<void>((resolve) => holds.push(resolve)),
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`Expected ${count} messages at the test SMTP server, ${received.length} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs one delivery pass of the outbox to `smtpUrl` (a fresh transport, closed after), as a server process does. */
export async function deliverOnce(
  ctx: AppContext,
  smtpUrl: string,
  options: Partial<DeliveryOptions> = {},
): Promise<PassResult> {
  const settings = { ...DEFAULT_DELIVERY, ...options };
  const transport = smtpTransport(smtpUrl, settings.concurrency);
  try {
    return await deliverPass(ctx, transport, settings);
  } finally {
    transport.close();
  }
}
