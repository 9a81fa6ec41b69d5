/**
 * Organisations with members, funders' staff invitations, and invitations themselves, through the API: every
 * status API.md names, who may reach each endpoint, and what is in the database afterwards.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { aBidBody } from '../support/builders.ts';
import {
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  aPublishedCall,
  signInAs,
  useTestApp,
  type TestUser,
} from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { aPng } from '../support/files.ts';
import { aColleague, invitationTokenTo } from '../support/people.ts';

const DAY = 24 * 3600 * 1000;
const NEW_PASSWORD = 'a colleague passphrase of their own';

describe('people API: organisations, invitations, staff', () => {
  const test = useTestApp();

  /** An admin invites `email` to their organisation and the e-mail's token is read back. */
  async function invite(admin: TestUser, email: string, role: 'admin' | 'member' = 'member') {
    const response = await admin.agent.post('/api/v1/organisations/mine/invitations').send({ email, role });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    return { invitation: response.body, token: await invitationTokenTo(test, email) };
  }

  it(
    'refuses each role that must not reach an endpoint (admin, member, another organisation, officers, ' +
      'appraisers), and changes nothing',
    async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      const otherAdmin = await anApplicant(test);
      const officer = await anOfficer(test);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const { token } = await invite(admin, 'matrix@charity.example');
      const agents = { anonymous: anonymous(test), admin, member, otherAdmin, officer, appraiser };
      const colleague = { email: 'x@charity.example', role: 'member' };
      const staff = { email: 'x@lep.example', name: 'X', role: 'appraiser' };
      const removeMember = `/api/v1/organisations/mine/members/${member.actor.id}`;
      // [method, path, body, {role: status}] for every role that must not reach it.
      const table: [string, string, object | undefined, Record<string, number>][] = [
        ['GET', '/api/v1/organisations/mine', undefined, { anonymous: 401, officer: 403, appraiser: 403 }],
        [
          'POST',
          '/api/v1/organisations/mine/invitations',
          colleague,
          { anonymous: 401, member: 403, officer: 403, appraiser: 403 },
        ],
        [
          'DELETE',
          removeMember,
          undefined,
          { anonymous: 401, member: 403, otherAdmin: 404, officer: 403, appraiser: 403 },
        ],
        [
          'POST',
          '/api/v1/staff-invitations',
          staff,
          { anonymous: 401, admin: 403, member: 403, otherAdmin: 403, appraiser: 403 },
        ],
        [
          'POST',
          `/api/v1/invitations/${token}/accept`,
          undefined,
          { anonymous: 422, admin: 409, member: 409, otherAdmin: 409, officer: 409, appraiser: 409 },
        ],
      ];
      const before = await snapshot();
      const failures: string[] = [];
      for (const [method, path, body, expected] of table) {
        for (const [role, status] of Object.entries(expected)) {
          const entry = agents[role as keyof typeof agents];
          const agent = 'agent' in entry ? entry.agent : entry;
          const request = agent[method.toLowerCase() as 'get' | 'post' | 'delete'](path);
          const answer = body ? await request.send(body) : await request;
          if (answer.status !== status) failures.push(`${method} ${path} as ${role}: ${answer.status}, not ${status}`);
        }
      }
      expect(failures).to.deep.equal([]);
      expect(await snapshot()).to.deep.equal(before);
    },
  );

  describe('an organisation and its members', () => {
    it('makes the registrant the first admin, and lists the organisation with its members', async () => {
      const agent = anonymous(test);
      const registered = await agent
        .post('/api/v1/register')
        .send({
          email: 'first@charity.example',
          password: 'a long enough passphrase',
          name: 'First Writer',
          organisation: { name: 'Derby Community Partnership', type: 'vcs', charityNumber: '1164883' },
        })
        .expect(201);
      expect(registered.body.organisation.role).to.equal('admin');
      const mine = await agent.get('/api/v1/organisations/mine').expect(200);
      expect(mine.body).to.deep.include({
        id: registered.body.organisation.id,
        name: 'Derby Community Partnership',
        type: 'vcs',
        charityNumber: '1164883',
        members: [{ userId: registered.body.id, name: 'First Writer', email: 'first@charity.example', role: 'admin' }],
      });
      expect(mine.body).not.to.have.property('companyNumber');
    });

    it('shows a member the organisation without the invitations, which only admins see', async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      await invite(admin, 'waiting@charity.example');
      const asAdmin = (await admin.agent.get('/api/v1/organisations/mine').expect(200)).body;
      expect(asAdmin.invitations.map((i: { email: string }) => i.email)).to.deep.equal(['waiting@charity.example']);
      const asMember = (await member.agent.get('/api/v1/organisations/mine').expect(200)).body;
      expect(asMember).not.to.have.property('invitations');
      expect(asMember.members.map((m: { role: string }) => m.role)).to.deep.equal(['admin', 'member']);
    });

    it('refuses officers and appraisers the organisation endpoints (403)', async () => {
      const officer = await anOfficer(test);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const someone = await anApplicant(test);
      for (const agent of [officer.agent, appraiser.agent]) {
        expect((await agent.get('/api/v1/organisations/mine')).status).to.equal(403);
        expect(
          (await agent.post('/api/v1/organisations/mine/invitations').send({ email: 'a@b.example', role: 'member' }))
            .status,
        ).to.equal(403);
        expect((await agent.delete(`/api/v1/organisations/mine/members/${someone.actor.id}`)).status).to.equal(403);
      }
      expect((await anonymous(test).get('/api/v1/organisations/mine')).status).to.equal(401);
    });
  });

  describe('inviting a colleague', () => {
    it(
      'answers 201 with the invitation, expiring in 7 days, and e-mails a link whose token is stored only as ' +
        'its SHA-256',
      async () => {
        const admin = await anApplicant(test);
        test.clock.set('2026-12-02T10:00:00Z');
        const { invitation, token } = await invite(admin, 'colleague@charity.example', 'admin');
        expect(invitation).to.deep.equal({
          id: invitation.id,
          email: 'colleague@charity.example',
          role: 'admin',
          expiresAt: '2026-12-09T10:00:00.000Z',
        });
        expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
        const row = await test.knex('invitations').where({ id: invitation.id }).first();
        expect(row).to.include({
          kind: 'organisation',
          organisationId: admin.actor.organisationId,
          invitedBy: admin.actor.id,
          tokenHash: createHash('sha256').update(token).digest('hex'),
        });
        // Nowhere in the table, in any column, is the token itself.
        const everything = JSON.stringify(await test.knex('invitations').select('*'));
        expect(everything).not.to.include(token);
      },
    );

    it('refuses a member who is not an admin (403), and changes nothing', async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      const before = await snapshot();
      const response = await member.agent
        .post('/api/v1/organisations/mine/invitations')
        .send({ email: 'x@charity.example', role: 'member' });
      expect(response.status).to.equal(403);
      expect(response.body.error.message).to.match(/admin/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses a body with problems (422), naming each, and changes nothing', async () => {
      const admin = await anApplicant(test);
      const before = await snapshot();
      const response = await admin.agent
        .post('/api/v1/organisations/mine/invitations')
        .send({ email: 'not an address', role: 'owner' });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['/email', '/role']);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses to invite someone who already belongs to the organisation (409)', async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      const response = await admin.agent
        .post('/api/v1/organisations/mine/invitations')
        .send({ email: member.email.toUpperCase(), role: 'admin' });
      expect(response.status).to.equal(409);
      expect(response.body.error.details[0].path).to.equal('/email');
    });

    it('replaces an unaccepted invitation to the same address: the older link is not found', async () => {
      const admin = await anApplicant(test);
      const first = await invite(admin, 'twice@charity.example');
      const second = await invite(admin, 'twice@charity.example', 'admin');
      expect((await anonymous(test).get(`/api/v1/invitations/${first.token}`)).status).to.equal(404);
      const view = await anonymous(test).get(`/api/v1/invitations/${second.token}`).expect(200);
      expect(view.body.role).to.equal('admin');
    });
  });

  describe('reading and accepting an invitation', () => {
    it('shows whoever has the link what it is to, and no more', async () => {
      const admin = await anApplicant(test);
      test.clock.set('2026-12-02T10:00:00Z');
      const { token } = await invite(admin, 'reader@charity.example');
      const organisation = (await admin.agent.get('/api/v1/organisations/mine')).body;
      const view = await anonymous(test).get(`/api/v1/invitations/${token}`).expect(200);
      expect(view.body).to.deep.equal({
        kind: 'organisation',
        email: 'reader@charity.example',
        role: 'member',
        organisation: { name: organisation.name },
        invitedBy: { name: admin.actor.name },
        expiresAt: '2026-12-09T10:00:00.000Z',
      });
    });

    it('creates the account with the invited address from {name, password} and signs it in', async () => {
      const admin = await anApplicant(test);
      const { token } = await invite(admin, 'New.Colleague@charity.example');
      const agent = anonymous(test);
      const accepted = await agent
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'New Colleague', password: NEW_PASSWORD })
        .expect(200);
      expect(accepted.body.user).to.include({ email: 'New.Colleague@charity.example', role: 'applicant' });
      expect(accepted.body.user.organisation).to.include({ id: admin.actor.organisationId, role: 'member' });
      expect(accepted.body).not.to.have.property('bidId');
      const me = await agent.get('/api/v1/me').expect(200);
      expect(me.body.id).to.equal(accepted.body.user.id);
      // The password they chose signs them in.
      await signInAs(anonymous(test), 'new.colleague@charity.example', NEW_PASSWORD);
      const row = await test.knex('invitations').first();
      expect(row.acceptedBy).to.equal(accepted.body.user.id);
      expect(row.acceptedAt).to.be.an.instanceOf(Date);
    });

    it('lets a person signed in with the invited address accept with no body, and join', async () => {
      const admin = await anApplicant(test);
      const other = await anApplicant(test);
      const leaver = await aColleague(test, other.actor.organisationId!, 'member');
      await other.agent.delete(`/api/v1/organisations/mine/members/${leaver.actor.id}`).expect(204);
      const { token } = await invite(admin, leaver.email, 'admin');
      const accepted = await leaver.agent.post(`/api/v1/invitations/${token}/accept`).expect(200);
      expect(accepted.body.user.organisation).to.include({ id: admin.actor.organisationId, role: 'admin' });
      const user = await test.knex('users').where({ id: leaver.actor.id }).first();
      expect(user).to.include({ organisationId: admin.actor.organisationId, organisationRole: 'admin' });
    });

    it(
      'refuses (409, saying why) an applicant who belongs to another organisation, and changes ' + 'nothing',
      async () => {
        const admin = await anApplicant(test);
        const elsewhere = await anApplicant(test);
        const { token } = await invite(admin, elsewhere.email);
        const before = await snapshot();
        const response = await elsewhere.agent.post(`/api/v1/invitations/${token}/accept`);
        expect(response.status).to.equal(409);
        const names = await test
          .knex('organisations')
          .whereIn('id', [admin.actor.organisationId!, elsewhere.actor.organisationId!]);
        for (const { name } of names) expect(response.body.error.message).to.include(name);
        expect(response.body.error.message).to.match(/one organisation at a time/);
        expect(await snapshot()).to.deep.equal(before);
        // The link still works once they are free to join.
        expect((await anonymous(test).get(`/api/v1/invitations/${token}`)).status).to.equal(200);
      },
    );

    it('refuses (409) someone signed in as another address, and changes nothing', async () => {
      const admin = await anApplicant(test);
      const { token } = await invite(admin, 'invited@charity.example');
      const stranger = await anApplicant(test);
      const before = await snapshot();
      const response = await stranger.agent
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'X', password: NEW_PASSWORD });
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.include('invited@charity.example');
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses (409) to create an account for an address that has one: sign in first', async () => {
      const admin = await anApplicant(test);
      const free = await aColleague(test, (await anApplicant(test)).actor.organisationId!, 'member');
      const { token } = await invite(admin, free.email);
      const before = await snapshot();
      const response = await anonymous(test)
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'Someone', password: NEW_PASSWORD });
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.match(/sign in first/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses a body with problems (422) and changes nothing', async () => {
      const admin = await anApplicant(test);
      const { token } = await invite(admin, 'typo@charity.example');
      const before = await snapshot();
      const response = await anonymous(test).post(`/api/v1/invitations/${token}/accept`).send({ password: 'short' });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { path: string }) => d.path)).to.include.members([
        '/name',
        '/password',
      ]);
      const withOrganisation = await anonymous(test)
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'A', password: NEW_PASSWORD, organisation: { name: 'Mine', type: 'vcs' } });
      expect(withOrganisation.status).to.equal(422);
      expect(withOrganisation.body.error.details[0].path).to.equal('/organisation');
      expect(await snapshot()).to.deep.equal(before);
    });

    it('answers 404 for an unknown token, and for a used one, which changes nothing', async () => {
      const admin = await anApplicant(test);
      const { token } = await invite(admin, 'once@charity.example');
      for (const unknown of ['nothing', 'A'.repeat(43), `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`]) {
        expect((await anonymous(test).get(`/api/v1/invitations/${unknown}`)).status).to.equal(404);
        const accept = await anonymous(test)
          .post(`/api/v1/invitations/${unknown}/accept`)
          .send({ name: 'X', password: NEW_PASSWORD });
        expect(accept.status).to.equal(404);
      }
      await anonymous(test)
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'Once', password: NEW_PASSWORD })
        .expect(200);
      const before = await snapshot();
      expect((await anonymous(test).get(`/api/v1/invitations/${token}`)).status).to.equal(404);
      const again = await anonymous(test)
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'Twice', password: NEW_PASSWORD });
      expect(again.status).to.equal(404);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('works one second before 7 days have passed, and not one second after (404, nothing changes)', async () => {
      const admin = await anApplicant(test);
      const sentAt = Date.parse('2026-12-02T10:00:00Z');
      test.clock.set(new Date(sentAt));
      const early = await invite(admin, 'early@charity.example');
      const late = await invite(admin, 'late@charity.example');
      test.clock.set(new Date(sentAt + 7 * DAY + 1000));
      const before = await snapshot();
      expect((await anonymous(test).get(`/api/v1/invitations/${late.token}`)).status).to.equal(404);
      const refused = await anonymous(test)
        .post(`/api/v1/invitations/${late.token}/accept`)
        .send({ name: 'Late', password: NEW_PASSWORD });
      expect(refused.status).to.equal(404);
      expect(await snapshot()).to.deep.equal(before);
      test.clock.set(new Date(sentAt + 7 * DAY - 1000));
      await anonymous(test).get(`/api/v1/invitations/${early.token}`).expect(200);
      await anonymous(test)
        .post(`/api/v1/invitations/${early.token}/accept`)
        .send({ name: 'Early', password: NEW_PASSWORD })
        .expect(200);
    });

    it('uses an invitation once when it is accepted twice at the same moment', async () => {
      const admin = await anApplicant(test);
      const { token } = await invite(admin, 'racing@charity.example');
      const attempts = await Promise.all(
        [1, 2, 3].map((n) =>
          anonymous(test)
            .post(`/api/v1/invitations/${token}/accept`)
            .send({ name: `Racer ${n}`, password: NEW_PASSWORD }),
        ),
      );
      const statuses = attempts.map((a) => a.status).sort();
      expect(statuses[0]).to.equal(200);
      expect(statuses.slice(1).every((s) => s === 404 || s === 409)).to.equal(true, statuses.join(','));
      expect(await test.knex('users').whereRaw('lower(email) = ?', ['racing@charity.example'])).to.have.length(1);
      const accepted = await test.knex('audit_events').where({ action: 'invitation.accepted' });
      expect(accepted).to.have.length(1);
    });

    it('uses an invitation once when its signed-in invitee accepts it twice at the same moment', async () => {
      const admin = await anApplicant(test);
      const other = await anApplicant(test);
      const free = await aColleague(test, other.actor.organisationId!, 'member');
      await other.agent.delete(`/api/v1/organisations/mine/members/${free.actor.id}`).expect(204);
      const { token } = await invite(admin, free.email);
      const attempts = await Promise.all([1, 2, 3].map(() => free.agent.post(`/api/v1/invitations/${token}/accept`)));
      expect(attempts.map((a) => a.status).sort()).to.deep.equal([200, 404, 404]);
      expect(await test.knex('audit_events').where({ action: 'invitation.accepted' })).to.have.length(1);
    });
  });

  describe('a second member works on the organisation’s bids as the registrant does', () => {
    it('reads, edits, uploads to and submits the bid another member started, and sees its trail', async () => {
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const registrant = await anApplicant(test);
      const bid = (
        await registrant.agent
          .post(`/api/v1/calls/${call.id}/bids`)
          .send(aBidBody({ title: 'Started by the registrant' }))
          .expect(201)
      ).body;
      const { token } = await invite(registrant, 'second@charity.example');
      const second = anonymous(test);
      await second
        .post(`/api/v1/invitations/${token}/accept`)
        .send({ name: 'Second Member', password: NEW_PASSWORD })
        .expect(200);
      await signInAs(second, 'second@charity.example', NEW_PASSWORD);

      const list = await second.get(`/api/v1/calls/${call.id}/bids`).expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).to.deep.equal([bid.id]);
      await second.get(`/api/v1/bids/${bid.id}`).expect(200);
      await second
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ title: 'Finished by the second member' }))
        .expect(200);
      const file = (
        await second.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'letter.png').expect(201)
      ).body;
      await registrant.agent.get(`/api/v1/bids/${bid.id}/attachments/${file.id}`).expect(200);
      const submitted = await second.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      expect(submitted.body.status).to.equal('submitted');
      expect(submitted.body.receipt).to.include({ version: 1 });
      const seen = await registrant.agent.get(`/api/v1/bids/${bid.id}`).expect(200);
      expect(seen.body.title).to.equal('Finished by the second member');
      const trail = (await registrant.agent.get(`/api/v1/bids/${bid.id}/audit`).expect(200)).body;
      const events = trail.items as { action: string; actor: { name?: string } }[];
      expect(events.filter((e) => e.actor.name === 'Second Member').map((e) => e.action)).to.include('bid.submitted');
    });

    it("keeps a removed member's events on the organisation's trail, and takes the bid out of reach", async () => {
      const officer = await anOfficer(test);
      const call = await aPublishedCall(officer);
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      const bid = (await member.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
      await member.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ title: 'Edited' }))
        .expect(200);
      await admin.agent.delete(`/api/v1/organisations/mine/members/${member.actor.id}`).expect(204);
      expect((await member.agent.get(`/api/v1/bids/${bid.id}`)).status).to.equal(404);
      expect((await member.agent.put(`/api/v1/bids/${bid.id}`).send(aBidBody())).status).to.equal(404);
      expect((await member.agent.get(`/api/v1/calls/${call.id}/bids`)).status).to.equal(403);
      expect((await member.agent.get('/api/v1/organisations/mine')).status).to.equal(404);
      const trail = (await admin.agent.get(`/api/v1/bids/${bid.id}/audit`).expect(200)).body;
      const events = trail.items as { actor: { id?: string } }[];
      expect(events.filter((e) => e.actor.id === member.actor.id)).to.have.length.at.least(2);
    });
  });

  describe('removing a member', () => {
    it('removes a member (204): their account stays, belonging to no organisation', async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      await admin.agent.delete(`/api/v1/organisations/mine/members/${member.actor.id}`).expect(204);
      const user = await test.knex('users').where({ id: member.actor.id }).first();
      expect(user).to.include({ organisationId: null, organisationRole: null, role: 'applicant' });
      const members = (await admin.agent.get('/api/v1/organisations/mine')).body.members;
      expect(members.map((m: { userId: string }) => m.userId)).to.deep.equal([admin.actor.id]);
    });

    it("takes a removed admin's unaccepted invitations with them, and leaves the others'", async () => {
      const admin = await anApplicant(test);
      const leaving = await aColleague(test, admin.actor.organisationId!, 'admin');
      const theirs = await invite(leaving, 'their.friend@charity.example');
      const kept = await invite(admin, 'our.colleague@charity.example');
      await admin.agent.delete(`/api/v1/organisations/mine/members/${leaving.actor.id}`).expect(204);
      expect((await anonymous(test).get(`/api/v1/invitations/${theirs.token}`)).status).to.equal(404);
      await anonymous(test).get(`/api/v1/invitations/${kept.token}`).expect(200);
    });

    it('refuses to remove the last admin (409), themselves included, and changes nothing', async () => {
      const admin = await anApplicant(test);
      await aColleague(test, admin.actor.organisationId!, 'member');
      const before = await snapshot();
      const response = await admin.agent.delete(`/api/v1/organisations/mine/members/${admin.actor.id}`);
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.match(/only admin/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('lets an admin remove themselves, or another admin, while another admin stays', async () => {
      const admin = await anApplicant(test);
      const second = await aColleague(test, admin.actor.organisationId!, 'admin');
      await second.agent.delete(`/api/v1/organisations/mine/members/${second.actor.id}`).expect(204);
      expect((await admin.agent.delete(`/api/v1/organisations/mine/members/${admin.actor.id}`)).status).to.equal(409);
    });

    it('keeps one admin when the last two remove each other at the same moment', async () => {
      for (let round = 0; round < 3; round += 1) {
        const one = await anApplicant(test);
        const two = await aColleague(test, one.actor.organisationId!, 'admin');
        const [a, b] = await Promise.all([
          one.agent.delete(`/api/v1/organisations/mine/members/${two.actor.id}`),
          two.agent.delete(`/api/v1/organisations/mine/members/${one.actor.id}`),
        ]);
        expect([a.status, b.status].filter((s) => s === 204)).to.have.length(1);
        // The other is refused: as the last admin (409), or, removed a moment before, as no longer an admin (403)
        // or no longer of the organisation at all (404).
        expect([a.status, b.status].filter((s) => s !== 204)[0]).to.be.oneOf([403, 404, 409]);
        const admins = await test.knex('users').where({
          organisationId: one.actor.organisationId,
          organisationRole: 'admin',
        });
        expect(admins).to.have.length(1);
      }
    });

    it('answers 404 for someone of another organisation, an unknown id or no id, and 403 to a member', async () => {
      const admin = await anApplicant(test);
      const member = await aColleague(test, admin.actor.organisationId!, 'member');
      const outsider = await anApplicant(test);
      const before = await snapshot();
      for (const id of [outsider.actor.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
        expect((await admin.agent.delete(`/api/v1/organisations/mine/members/${id}`)).status).to.equal(404);
      }
      expect((await outsider.agent.delete(`/api/v1/organisations/mine/members/${member.actor.id}`)).status).to.equal(
        404,
      );
      expect((await member.agent.delete(`/api/v1/organisations/mine/members/${admin.actor.id}`)).status).to.equal(403);
      expect(await snapshot()).to.deep.equal(before);
    });
  });

  describe('funder staff invitations', () => {
    it(
      'lets an officer invite an appraiser, who sets their own password and joins the ' + "officer's funder",
      async () => {
        const officer = await anOfficer(test);
        test.clock.set('2026-12-02T10:00:00Z');
        const response = await officer.agent
          .post('/api/v1/staff-invitations')
          .send({ email: 'new.appraiser@lep.example', name: 'New Appraiser', role: 'appraiser' })
          .expect(201);
        expect(response.body).to.deep.equal({
          id: response.body.id,
          email: 'new.appraiser@lep.example',
          role: 'appraiser',
          expiresAt: '2026-12-09T10:00:00.000Z',
        });
        const token = await invitationTokenTo(test, 'new.appraiser@lep.example');
        const funder = await test.knex('funders').where({ id: officer.actor.funderId }).first();
        const view = await anonymous(test).get(`/api/v1/invitations/${token}`).expect(200);
        expect(view.body).to.deep.include({ kind: 'staff', role: 'appraiser', funder: { name: funder.name } });
        const agent = anonymous(test);
        const accepted = await agent
          .post(`/api/v1/invitations/${token}/accept`)
          .send({ name: 'New Appraiser', password: NEW_PASSWORD })
          .expect(200);
        expect(accepted.body.user).to.include({ role: 'appraiser', funderId: officer.actor.funderId });
        await agent.get('/api/v1/me').expect(200);
        await signInAs(anonymous(test), 'new.appraiser@lep.example', NEW_PASSWORD);
      },
    );

    it('refuses everyone but officers (401, 403), a bad body (422) and a taken address (409)', async () => {
      const officer = await anOfficer(test);
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      const applicant = await anApplicant(test);
      const body = { email: 'someone@lep.example', name: 'Someone', role: 'officer' };
      const before = await snapshot();
      expect((await anonymous(test).post('/api/v1/staff-invitations').send(body)).status).to.equal(401);
      expect((await appraiser.agent.post('/api/v1/staff-invitations').send(body)).status).to.equal(403);
      expect((await applicant.agent.post('/api/v1/staff-invitations').send(body)).status).to.equal(403);
      const bad = await officer.agent
        .post('/api/v1/staff-invitations')
        .send({ email: 'x', name: '', role: 'applicant' });
      expect(bad.status).to.equal(422);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members([
        '/email',
        '/name',
        '/role',
      ]);
      const taken = await officer.agent.post('/api/v1/staff-invitations').send({ ...body, email: applicant.email });
      expect(taken.status).to.equal(409);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses (409) a staff invitation accepted by a signed-in account with that address', async () => {
      const officer = await anOfficer(test);
      await officer.agent
        .post('/api/v1/staff-invitations')
        .send({ email: 'late.registrant@lep.example', name: 'Late', role: 'officer' })
        .expect(201);
      const token = await invitationTokenTo(test, 'late.registrant@lep.example');
      // The address registered an organisation after it was invited.
      const agent = anonymous(test);
      await agent
        .post('/api/v1/register')
        .send({
          email: 'late.registrant@lep.example',
          password: NEW_PASSWORD,
          name: 'Late',
          organisation: { name: 'Late Org', type: 'vcs' },
        })
        .expect(201);
      const response = await agent.post(`/api/v1/invitations/${token}/accept`);
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.match(/already has an account/);
    });

    it('still lets scripts add staff with POST /api/v1/users', async () => {
      const officer = await anOfficer(test);
      const made = await officer.agent
        .post('/api/v1/users')
        .send({ email: 'scripted@lep.example', password: NEW_PASSWORD, name: 'Scripted', role: 'officer' })
        .expect(201);
      expect(made.body).to.include({ role: 'officer', funderId: officer.actor.funderId });
    });
  });
});
