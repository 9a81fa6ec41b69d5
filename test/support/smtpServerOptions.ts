/**
 * How the tests' SMTP server (mail.ts) and the benchmark's sink (bench/smtpSink.ts) run smtp-server: plain SMTP on
 * loopback that takes any message. A module of its own, with no other imports, so the sink's process loads only
 * this and not mail.ts's mailparser and delivery code.
 */
import type { SMTPServerOptions } from 'smtp-server';

/** No TLS, no sign-in, no reverse DNS, messages up to 10 MB, and open connections closed within a second. */
export const LOOPBACK_SMTP_OPTIONS = {
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // The clients are on loopback: no reverse DNS lookup of each one (slow where DNS is out of reach).
  disableReverseLookup: true,
  size: 10 * 1024 * 1024,
  // Connections left open (a pooled transport, a killed process) do not hold a test's or a run's end up.
  closeTimeout: 1000,
} satisfies SMTPServerOptions;
