/**
 * A change feed: one connection of the process's own that LISTENs on a channel, so the process hears, as each one
 * commits, of changes any process made (a trigger announces them: see the migration that makes it). What the process
 * keeps because of it may be trusted only while the feed is `live`: from the moment LISTEN has answered until the
 * connection is lost. On a loss everyone is told (`*`), and it connects again with backoff; until then nothing may be
 * trusted without reading the database.
 */
import pg from 'pg';
import { APPLICATION_NAME } from './database.ts';

export interface ChangeFeed {
  /** Whether changes are heard now; starts the feed on first asking (a process that never asks never connects). */
  live(): boolean;
  /** Moves on with every change heard and every loss: a reader compares it before and after a read. */
  heard(): number;
  /** Calls `listener` with each change's payload, and with `*` when the connection is lost. */
  onChange(listener: (payload: string) => void): void;
  /** Ends the connection and stops connecting again. */
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** The first wait before connecting again after a loss, in milliseconds (doubled each time, up to 30 s). */
  retryMs?: number;
  /** Told of a lost connection, for the log. */
  onLoss?: (error: Error) => void;
}

/** A feed of the changes announced on `channel` of the database at `databaseUrl`. */
export function changeFeed(databaseUrl: string, channel: string, options: ChangeFeedOptions = {}): ChangeFeed {
  const firstRetryMs = options.retryMs ?? 500;
  const listeners: Array<(payload: string) => void> = [];
  let client: pg.Client | undefined;
  let started = false;
  let isLive = false;
  let closed = false;
  let count = 0;
  let retryMs = firstRetryMs;
  let retry: NodeJS.Timeout | undefined;

  const tell = (payload: string) => {
    count += 1;
    for (const listener of listeners) listener(payload);
  };

  const lost = (lostClient: pg.Client, error: Error) => {
    if (client !== lostClient) return;
    client = undefined;
    const wasLive = isLive;
    isLive = false;
    tell('*');
    lostClient.end().catch(() => {});
    if (closed) return;
    if (wasLive) options.onLoss?.(error);
    retry = setTimeout(connect, retryMs);
    retry.unref();
    retryMs = Math.min(retryMs * 2, 30_000);
  };

  function connect(): void {
    if (closed) return;
    const next = new pg.Client({ connectionString: databaseUrl, application_name: APPLICATION_NAME });
    client = next;
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('the change feed connection ended')));
    next.on('notification', (message) => {
      if (message.channel === channel) tell(message.payload ?? '*');
    });
    next
      .connect()
      .then(() => next.query(`listen ${pg.escapeIdentifier(channel)}`))
      .then(() => {
        if (client !== next) return;
        // Whatever was read before now was read unheard: a change is counted so no such read is trusted.
        tell('*');
        isLive = true;
        retryMs = firstRetryMs;
      })
      .catch((error: Error) => lost(next, error));
  }

  return {
    live() {
      if (!started && !closed) {
        started = true;
        connect();
      }
      return isLive;
    },
    heard: () => count,
    onChange(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      isLive = false;
      clearTimeout(retry);
      const open = client;
      client = undefined;
      await open?.end().catch(() => {});
    },
  };
}
