/**
 * The partnership offer pages: an applicant publishes an offer on an open call, the offering organisation withdraws
 * it, and a lead takes one up into its draft bid ("invite to my bid"). Each a route → a service → a page model.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { Conflict, Validation, type AppError } from '../errors.ts';
import { actorOf } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { setFlash } from '../web/flash.ts';
import { FormReader, rawValue, schemaProblems, type ErrorItem, type FormValues } from '../web/forms.ts';
import * as service from './service.ts';
import * as presenter from './presenter.ts';

/** A refusal as the error summary shows it: each detail at its input, else the message at the page's top. */
function formErrors(form: FormReader, error: AppError): ErrorItem[] {
  return form.errorItems(error.details.length > 0 ? error.details : [{ path: '', message: error.message }]);
}

/** The offer pages. */
export function offerPages(ctx: AppContext): Router {
  const router = Router();

  const renderOfferForm = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues = {},
    errors: ErrorItem[] = [],
  ) => {
    const actor = actorOf(req);
    const call = await service.viewNewOffer(ctx, actor, param(req, 'id'));
    res.status(status).render('offers/new', {
      pageTitle: 'Offer to be a partner',
      backLink: `/calls/${call.id}#partnership-offers`,
      ...presenter.offerFormPage(call, values, errors, actor.email),
    });
  };

  router.get('/calls/:id/offers/new', (req, res) => renderOfferForm(req, res, 200));

  router.post('/calls/:id/offers', async (req, res) => {
    const actor = actorOf(req);
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const body = presenter.offerBody(form);
    try {
      if (form.problems.length > 0) {
        // A typo in the money is the form's to say, beside what the API's schema says of the rest; who may offer,
        // and whether the call is open, are asked first, as the service would.
        await service.viewNewOffer(ctx, actor, param(req, 'id'));
        throw new Validation('The offer has problems', schemaProblems('offer.create.schema.json', body));
      }
      const offer = await service.createOffer(ctx, actor, param(req, 'id'), body);
      await setFlash(req, `Your partnership offer "${offer.summary}" is published`);
      res.redirect(303, `/calls/${offer.callId}#offer-${offer.id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      await renderOfferForm(req, res, 422, values, formErrors(form, error));
    }
  });

  router.get('/offers/:id/remove', async (req, res) => {
    const offer = await service.viewOwnOffer(ctx, actorOf(req), param(req, 'id'));
    res.render('offers/remove', {
      pageTitle: 'Withdraw your partnership offer',
      backLink: `/calls/${offer.callId}#offer-${offer.id}`,
      ...presenter.offerToRemovePage(offer),
    });
  });

  router.post('/offers/:id/remove', async (req, res) => {
    const actor = actorOf(req);
    const offer = await service.viewOwnOffer(ctx, actor, param(req, 'id'));
    await service.deleteOffer(ctx, actor, offer.id);
    await setFlash(req, `Your partnership offer "${offer.summary}" is withdrawn`);
    res.redirect(303, `/calls/${offer.callId}`);
  });

  const renderTakeUp = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues = {},
    errors: ErrorItem[] = [],
  ) => {
    const view = await service.viewOfferToTake(ctx, actorOf(req), param(req, 'id'), param(req, 'offerId'));
    res.status(status).render('offers/invite', {
      pageTitle: `Invite ${view.offer.organisationName} to your bid`,
      backLink: `/calls/${view.call.id}#offer-${view.offer.id}`,
      ...presenter.offerToTakePage(view, values, errors),
    });
  };

  router.get('/calls/:id/offers/:offerId/invite', (req, res) => renderTakeUp(req, res, 200));

  router.post('/calls/:id/offers/:offerId/invite', async (req, res) => {
    const actor = actorOf(req);
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const bidId = rawValue(values, 'bidId') || undefined;
    try {
      const { bid, partner, invitation } = await service.takeUpOffer(
        ctx,
        actor,
        param(req, 'id'),
        param(req, 'offerId'),
        bidId,
      );
      await setFlash(
        req,
        `${partner.name} is a delivery partner in ${bid.reference}: invitation sent to ${invitation.email}`,
      );
      res.redirect(303, `/bids/${bid.id}`);
    } catch (error) {
      // A refusal about the chosen bid (a draft no more, the organisation in it already) is shown on the form.
      if (!(error instanceof Validation || (error instanceof Conflict && bidId))) throw error;
      // With no draft bid left to choose (the only one was just submitted), the refusal itself is the answer.
      await renderTakeUp(req, res, error.status, values, formErrors(form, error)).catch((again: unknown) => {
        throw again instanceof Conflict ? error : again;
      });
    }
  });

  return router;
}
