/** The officer's page of the e-mail sent about one of their calls (GET /officer/calls/:id/mail). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { mailAboutCall, type CallMailRow } from './callMail.ts';

const STATUS = {
  sent: { text: 'Sent', tagClass: 'govuk-tag--green' },
  failed: { text: 'Failed', tagClass: 'govuk-tag--red' },
  pending: { text: 'Waiting', tagClass: 'govuk-tag--grey' },
  retrying: { text: 'Retrying', tagClass: 'govuk-tag--yellow' },
};

/** One message as the table shows it: its status in words, and the time of what last happened to it. */
export function mailRowView(row: CallMailRow) {
  const status = row.status === 'pending' && row.lastError ? 'retrying' : row.status;
  const time =
    row.status === 'sent'
      ? `Sent ${formatLondonDateTime(row.sentAt!)}`
      : row.status === 'failed'
        ? `Failed ${formatLondonDateTime(row.failedAt!)}`
        : row.lastError
          ? `Next try ${formatLondonDateTime(row.nextAttemptAt)}`
          : `Queued ${formatLondonDateTime(row.queuedAt)}`;
  return {
    to: row.to,
    subject: row.subject,
    status: STATUS[status],
    attempts: row.attempts,
    error: row.lastError,
    time,
  };
}

/** The officer's mail pages. */
export function mailPages(ctx: AppContext): Router {
  const router = Router();
  router.get('/officer/calls/:id/mail', requireRole('officer'), async (req, res) => {
    const reached = await access.readCallMail(ctx, actorOf(req), param(req, 'id'));
    const { rows, total } = await mailAboutCall(ctx, reached);
    res.render('officer/call-mail', {
      pageTitle: `E-mail about ${reached.call.title}`,
      backLink: `/officer/calls/${reached.call.id}`,
      call: { id: reached.call.id, title: reached.call.title, reference: reached.call.reference },
      rows: rows.map(mailRowView),
      total,
      more: total > rows.length ? { shown: rows.length } : undefined,
    });
  });
  return router;
}
