/** People API: the actor's organisation and its members, funders' staff invitations, and accepting invitations. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { startSession } from '../identity/session.ts';
import { presentUser } from '../identity/service.ts';
import * as service from './service.ts';

/** Routes under /api/v1 for people. */
export function peopleApi(ctx: AppContext): Router {
  const router = Router();

  router.get('/organisations/mine', async (req, res) => {
    res.json(await service.viewOwnOrganisation(ctx, actorOf(req)));
  });

  router.post('/organisations/mine/invitations', async (req, res) => {
    res.status(201).json(await service.inviteToOrganisation(ctx, actorOf(req), req.body));
  });

  router.delete('/organisations/mine/members/:userId', async (req, res) => {
    await service.removeMember(ctx, actorOf(req), param(req, 'userId'));
    res.status(204).end();
  });

  router.post('/staff-invitations', async (req, res) => {
    res.status(201).json(await service.inviteStaff(ctx, actorOf(req), req.body));
  });

  router.get('/invitations/:token', async (req, res) => {
    res.json(await service.viewInvitation(ctx, param(req, 'token')));
  });

  router.post('/invitations/:token/accept', async (req, res) => {
    const accepted = await service.acceptInvitation(ctx, req.actor, param(req, 'token'), req.body);
    if (accepted.created) await startSession(req, accepted.user.id);
    res.json({ user: presentUser(accepted.user), ...(accepted.bidId ? { bidId: accepted.bidId } : {}) });
  });

  return router;
}
