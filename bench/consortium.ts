/**
 * The consortium editing figure: a bid of 10 partners on the open call, each delivery partner's organisation
 * joined as an accepted invitation joins it (joinAsPartner), and 10 clients over HTTP, each signed in as a member of
 * its own partner (the lead's member for the lead's row), each doing GET (ETag) → its partner PUT with If-Match →
 * on 412 read again and retry, for a fixed time. Edits per second, an edit's p50 and p99 (from the read to the
 * stored write, retries included), how often a write had to retry; and at the end, each partner's last stored
 * write must be in the final draft (no write lost), else FAIL.
 */
import type { Knex } from 'knex';
import type { AppContext } from '../server/context.ts';
import { createBid, joinAsPartner } from '../server/bids/service.ts';
import { hashPassword } from '../server/identity/passwords.ts';
import { insertOrganisation } from '../server/identity/repository.ts';
import type { BidFields, Partner } from '../server/bids/types.ts';
import { BENCH_PASSWORD, person, type World } from './build.ts';
import { percentile, signIn } from './load.ts';
import { fmt, type Figure } from './figures.ts';
import { nationalBidBody, randomSource } from './synthetic.ts';

export interface Consortium {
  bidId: string;
  /** One per partner, in the bid's order: the partner's id and the e-mail of a member who edits it. */
  editors: { partnerId: string; email: string }[];
}

interface MatchLine {
  partnerId?: string;
  [field: string]: unknown;
}

interface BidBody {
  partners: (Partner & { id: string })[];
  matchFunding: MatchLine[];
}

const member = async (knex: Knex, passwordHash: string, email: string, organisationId: string) =>
  (await person(knex, passwordHash, { email, role: 'applicant', organisationId })).actor;

/** The bid and its partners' members, through the services (the lead creates the bid; each partner joins it). */
export async function buildConsortium(ctx: AppContext, world: World): Promise<Consortium> {
  const { knex } = ctx;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const body: BidFields = nationalBidBody(randomSource(20261202), world.submissionCall.fields, 900_001);
  const organisation = (name: string, i: number) =>
    knex.transaction((trx) =>
      insertOrganisation(trx, { name, type: 'vcs', charityNumber: String(1190000 + i), companyNumber: null }),
    );
  const leadOrg = await organisation('Consortium editing lead (benchmark)', 0);
  const lead = await member(knex, passwordHash, 'consortium-lead@bench.example', leadOrg.id);
  const view = await createBid(ctx, lead, world.submissionCall.id, body);
  const partners = view.bid.draft.partners as (Partner & { id: string })[];
  const editors = [{ partnerId: partners[0].id, email: 'consortium-lead@bench.example' }];
  for (let i = 1; i < partners.length; i++) {
    const org = await organisation(`${partners[i].name} (benchmark)`, i);
    const email = `consortium-partner-${i}@bench.example`;
    const person = await member(knex, passwordHash, email, org.id);
    await knex.transaction((trx) =>
      joinAsPartner(trx, person.id, view.bid.id, partners[i].id, org.id, ctx.clock.now()),
    );
    editors.push({ partnerId: partners[i].id, email });
  }
  return { bidId: view.bid.id, editors };
}

/** The part a partner writes back: its row as read, its name marked with the edit, its own match lines. */
function partOf(body: BidBody, partnerId: string, mark: string) {
  const row = body.partners.find((p) => p.id === partnerId)!;
  const { name, type, charityNumber, companyNumber, esfPence, matchPence } = row;
  const base = name.replace(/ \[edit [^\]]+\]$/, '');
  const lead = body.partners[0].id === partnerId;
  return {
    partner: {
      name: `${base} [edit ${mark}]`,
      type,
      ...(charityNumber ? { charityNumber } : {}),
      ...(companyNumber ? { companyNumber } : {}),
      esfPence,
      matchPence,
    },
    // Lines without a partnerId are the lead's; the partner PUT's lines carry none (they are the writer's).
    matchFunding: body.matchFunding
      .filter((line) => (lead ? !line.partnerId || line.partnerId === partnerId : line.partnerId === partnerId))
      .map(({ partnerId: _ignored, ...line }) => line),
  };
}

/** Runs the 10 clients for `seconds`, then reads the final draft and checks each partner's last write is in it. */
export async function consortiumFigure(port: number, consortium: Consortium, seconds: number): Promise<Figure> {
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/api/v1/bids/${consortium.bidId}`;
  const cookies = await Promise.all(consortium.editors.map((e) => signIn(port, e.email, BENCH_PASSWORD)));
  const editLatencies: number[] = [];
  let retries = 0;
  let failures = 0;
  const failuresSeen = new Set<string>();
  const lastWritten = new Map<string, string>();
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();

  const client = async (index: number) => {
    const { partnerId } = consortium.editors[index];
    const headers = { cookie: cookies[index], 'content-type': 'application/json' };
    let edit = 0;
    while (performance.now() < stopAt) {
      edit += 1;
      const mark = `${index}.${edit}`;
      const t0 = performance.now();
      for (;;) {
        const read = await fetch(url, { headers });
        if (read.status !== 200) throw new Error(`GET of the consortium's bid answered ${read.status}`);
        const etag = read.headers.get('etag')!;
        const body = (await read.json()) as BidBody;
        const put = await fetch(`${url}/partners/${partnerId}`, {
          method: 'PUT',
          headers: { ...headers, 'if-match': etag },
          body: JSON.stringify(partOf(body, partnerId, mark)),
        });
        await put.arrayBuffer();
        if (put.status === 200) {
          lastWritten.set(partnerId, mark);
          editLatencies.push(performance.now() - t0);
          break;
        }
        if (put.status === 412) {
          retries += 1;
          continue;
        }
        failures += 1;
        failuresSeen.add(String(put.status));
        break;
      }
    }
  };
  await Promise.all(consortium.editors.map((_, i) => client(i)));
  const elapsed = (performance.now() - started) / 1000;

  // No write lost: the final draft holds every partner's last write, whole.
  const final = (await (await fetch(url, { headers: { cookie: cookies[0] } })).json()) as BidBody;
  const lost = consortium.editors.filter(({ partnerId }) => {
    const name = final.partners.find((p) => p.id === partnerId)?.name ?? '';
    const mark = lastWritten.get(partnerId);
    return mark === undefined || !name.endsWith(`[edit ${mark}]`);
  });
  const edits = editLatencies.length;
  editLatencies.sort((a, b) => a - b);
  const perSecond = edits / elapsed;
  const p50 = percentile(editLatencies, 50);
  const p99 = percentile(editLatencies, 99);
  const attempts = edits + retries;
  const correct = lost.length === 0 && failures === 0 && final.partners.length === consortium.editors.length;
  return {
    name: 'consortium edits (10)',
    measured:
      `${fmt.rate(perSecond)} edits, p50 ${fmt.ms(p50)}, p99 ${fmt.ms(p99)} (read to stored, retries included); ` +
      `${edits} edits in ${fmt.s(elapsed)}, ${retries} retries after 412 ` +
      `(${fmt.pct((100 * retries) / Math.max(1, attempts))} of writes); every partner's last write in the final ` +
      `draft: ${lost.length === 0 ? 'yes' : 'NO'}`,
    target: 'no write lost (no ratio)',
    baseline: 'none: 10 clients, each GET (ETag) → partner PUT with If-Match → on 412 read again',
    verdict: correct ? 'PASS' : 'FAIL',
    values: {
      clients: consortium.editors.length,
      seconds: elapsed,
      edits,
      perSecond,
      p50Ms: p50,
      p99Ms: p99,
      retries,
      failures,
    },
    notes: correct
      ? []
      : [
          `FAIL: ${lost.length} partners' last write not in the final draft` +
            `${failures ? `; ${failures} writes answered ${[...failuresSeen].join(', ')}` : ''}`,
        ],
  };
}
