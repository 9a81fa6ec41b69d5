/**
 * The mail figure's SMTP server, in a process of its own (forked by bench/serverProcess.ts): smtp-server on a free
 * port with the tests' options (test/support/smtpServerOptions.ts: no TLS, no sign-in, no reverse DNS), accepting
 * every message and counting it by its Message-ID, read from the header alone so that the sink costs little next to
 * what it measures. Its parent asks for the tally (`counts`), every Message-ID with how often it came (`ids`), and
 * starts a new tally (`reset`).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { LOOPBACK_SMTP_OPTIONS } from '../test/support/smtpServerOptions.ts';

type Message = { type: 'counts' } | { type: 'ids' } | { type: 'reset' } | { type: 'usage' } | { type: 'stop' };

const MESSAGE_ID = /^message-id:[ \t]*(<[^>\r\n]+>)/im;
const HEADER_END = '\r\n\r\n';

let counts = new Map<string, number>();
let withoutId = 0;
let firstAt: number | undefined;
let lastAt: number | undefined;

const server = new SMTPServer({
  ...LOOPBACK_SMTP_OPTIONS,
  // Many clients at once: the outbox's two processes and the baseline's pool.
  maxClients: 200,
  onData(stream, _session, callback) {
    // The header only: it ends at the first blank line, well inside the first chunk of a receipt.
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 16_384 && !head.includes(HEADER_END)) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = MESSAGE_ID.exec(head.split(HEADER_END)[0])?.[1];
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      else withoutId += 1;
      lastAt = performance.now();
      firstAt ??= lastAt;
      callback();
    });
  },
});

// A client gone mid-conversation is its own affair: the sink goes on counting.
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.server.address() as AddressInfo).port });
});

process.on('message', (message: Message) => {
  if (message.type === 'counts') {
    let received = withoutId;
    for (const n of counts.values()) received += n;
    process.send?.({
      type: 'counts',
      received,
      withoutId,
      spanSeconds: firstAt === undefined || lastAt === undefined ? 0 : (lastAt - firstAt) / 1000,
    });
  } else if (message.type === 'ids') {
    // Every Message-ID with how often it arrived: the parent checks them against the messages it sent.
    process.send?.({ type: 'ids', ids: [...counts.entries()] });
  } else if (message.type === 'reset') {
    counts = new Map();
    withoutId = 0;
    firstAt = lastAt = undefined;
    process.send?.({ type: 'reset' });
  } else if (message.type === 'usage') {
    process.send?.({ type: 'usage', maxRssKb: process.resourceUsage().maxRSS, rssBytes: process.memoryUsage().rss });
  } else if (message.type === 'stop') {
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
