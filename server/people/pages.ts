/**
 * The people pages: an organisation's members (admins invite and remove), a funder's staff (officers invite), and
 * an invitation's page, where the invited person signs in or creates their account to accept it.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { Conflict, Validation } from '../errors.ts';
import { actorOf } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { errorsByField, fieldView, FormReader, optionsFor, withoutUndefined, type FormValues } from '../web/forms.ts';
import { startSession } from '../identity/session.ts';
import * as service from './service.ts';
import * as presenter from './presenter.ts';

const ORGANISATION_ROLES = [
  { value: 'member', text: 'Member: works on all the organisation’s bids' },
  { value: 'admin', text: 'Admin: also invites and removes people' },
];

const STAFF_ROLES = [
  { value: 'appraiser', text: 'Appraiser: scores the bids of the panels they sit on' },
  { value: 'officer', text: 'Officer: runs calls, panels and decisions' },
];

/** Where a person goes once signed in: their role's home. */
const HOME = { applicant: '/dashboard', officer: '/officer/calls', appraiser: '/appraisal' } as const;

/** The people pages. */
export function peoplePages(ctx: AppContext): Router {
  const router = Router();

  router.get('/organisation', async (req, res) => {
    const actor = actorOf(req);
    const view = await service.viewOwnOrganisation(ctx, actor);
    res.render('people/organisation', {
      pageTitle: view.name,
      flash: takeFlash(req),
      ...presenter.organisationPage(view, actor),
    });
  });

  /** The invitation form, with what was typed and its errors. */
  const renderInvite = (res: Response, status: number, values: FormValues = {}, errors: presenter.Errors = []) => {
    const byField = errorsByField(errors);
    const role = fieldView(values, byField, 'role');
    res.status(status).render('people/invite', {
      pageTitle: 'Invite a colleague',
      backLink: '/organisation',
      errors,
      email: fieldView(values, byField, 'email'),
      role: { ...role, options: optionsFor(ORGANISATION_ROLES, role.value || 'member', null) },
    });
  };

  router.get('/organisation/invite', (req, res) => {
    // Only admins see the form: the service asks the same question when it is sent.
    access.organisationOfAdmin(actorOf(req));
    renderInvite(res, 200);
  });

  router.post('/organisation/invite', async (req, res) => {
    const actor = actorOf(req);
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const body = withoutUndefined({ email: form.text('/email'), role: form.text('/role') });
    try {
      const invitation = await service.inviteToOrganisation(ctx, actor, body);
      await setFlash(req, `Invitation sent to ${invitation.email}`);
      res.redirect(303, '/organisation');
    } catch (error) {
      if (!(error instanceof Validation || error instanceof Conflict)) throw error;
      renderInvite(res, error.status, values, presenter.formErrors(form, error, '/email'));
    }
  });

  router.get('/organisation/members/:userId/remove', async (req, res) => {
    const actor = actorOf(req);
    access.organisationOfAdmin(actor);
    const view = await service.viewOwnOrganisation(ctx, actor);
    const member = presenter.memberToRemove(view, param(req, 'userId'));
    res.render('people/remove', { pageTitle: `Remove ${member.name}`, backLink: '/organisation', member });
  });

  router.post('/organisation/members/:userId/remove', async (req, res) => {
    const actor = actorOf(req);
    access.organisationOfAdmin(actor);
    const view = await service.viewOwnOrganisation(ctx, actor);
    const member = presenter.memberToRemove(view, param(req, 'userId'));
    try {
      await service.removeMember(ctx, actor, member.userId);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return res.status(409).render('people/remove', {
        pageTitle: `Remove ${member.name}`,
        backLink: '/organisation',
        member,
        errors: [{ field: 'main-content', message: error.message }],
      });
    }
    await setFlash(req, `${member.name} no longer belongs to ${view.name}`);
    // Someone who removed themselves has no organisation, and so no bids, to go back to.
    res.redirect(303, member.userId === actor.id ? '/calls' : '/organisation');
  });

  router.get('/officer/staff', async (req, res) => {
    const view = await service.viewStaff(ctx, actorOf(req));
    res.render('people/staff', { pageTitle: 'Staff', flash: takeFlash(req), ...presenter.staffPage(view) });
  });

  const renderStaffInvite = (res: Response, status: number, values: FormValues = {}, errors: presenter.Errors = []) => {
    const byField = errorsByField(errors);
    const role = fieldView(values, byField, 'role');
    res.status(status).render('people/staff-invite', {
      pageTitle: 'Invite an officer or appraiser',
      backLink: '/officer/staff',
      errors,
      name: fieldView(values, byField, 'name'),
      email: fieldView(values, byField, 'email'),
      role: { ...role, options: optionsFor(STAFF_ROLES, role.value || 'appraiser', null) },
    });
  };

  router.get('/officer/staff/invite', (req, res) => {
    access.funderStaff(actorOf(req));
    renderStaffInvite(res, 200);
  });

  router.post('/officer/staff/invite', async (req, res) => {
    const actor = actorOf(req);
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const body = withoutUndefined({ email: form.text('/email'), name: form.text('/name'), role: form.text('/role') });
    try {
      const invitation = await service.inviteStaff(ctx, actor, body);
      await setFlash(req, `Invitation sent to ${invitation.email}`);
      res.redirect(303, '/officer/staff');
    } catch (error) {
      if (!(error instanceof Validation || error instanceof Conflict)) throw error;
      renderStaffInvite(res, error.status, values, presenter.formErrors(form, error, '/email'));
    }
  });

  /** The invitation's page: accept (signed in as the address), sign out (as another), or create the account. */
  const renderInvitation = async (
    req: Request,
    res: Response,
    status: number,
    values?: FormValues,
    errors: presenter.Errors = [],
  ) => {
    const token = param(req, 'token');
    const invitation = await service.viewInvitation(ctx, token);
    res.status(status).render('people/invitation', {
      pageTitle: 'Your invitation',
      errors,
      ...presenter.invitationPage(invitation, token, req.actor, values, errors),
    });
  };

  router.get('/invitations/:token', (req, res) => renderInvitation(req, res, 200));

  router.post('/invitations/:token', async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const token = param(req, 'token');
    // A partner who has no account registers its organisation as they accept.
    const registers = !req.actor && (await service.viewInvitation(ctx, token)).kind === 'partner';
    const organisation = registers
      ? withoutUndefined({
          name: form.text('/organisation/name'),
          type: form.text('/organisation/type'),
          charityNumber: form.text('/organisation/charityNumber'),
          companyNumber: form.text('/organisation/companyNumber')?.toUpperCase(),
        })
      : undefined;
    const body = req.actor
      ? {}
      : withoutUndefined({ name: form.text('/name'), password: form.exact('/password'), organisation });
    try {
      const accepted = await service.acceptInvitation(ctx, req.actor, token, body);
      if (accepted.created) await startSession(req, accepted.user.id);
      await setFlash(req, presenter.acceptedMessage(accepted.user));
      res.redirect(303, accepted.bidId ? `/bids/${accepted.bidId}` : HOME[accepted.user.role]);
    } catch (error) {
      if (!(error instanceof Validation || error instanceof Conflict)) throw error;
      await renderInvitation(req, res, error.status, values, presenter.formErrors(form, error, ''));
    }
  });

  return router;
}
