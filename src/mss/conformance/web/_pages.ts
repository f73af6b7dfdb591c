/**
 * The page routes: GET / (PSC endpoints and the form), POST /jobs (the form, urlencoded: 303 to
 * the job page, or the form again with the error), GET /jobs, GET /jobs/{id}, POST
 * /jobs/{id}/cancel (303 back). Pages are rendered by the server and escaped; each carries a
 * CSP that allows only its own inline style and script.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isPasserelleError } from '../../../errors.ts';
import type { ApiContext } from './_api.ts';
import { html, layout, pageCsp } from './_html.ts';
import { MAX_BODY_BYTES } from './_http.ts';
import { inputFromForm, jobRequestFrom } from './_input.ts';
import type { Job } from './_jobs.ts';
import { type FormError, type FormValues, formFieldOf, homePage } from './_page-home.ts';
import { jobListPage, jobPage } from './_page-jobs.ts';

type Status = 200 | 400 | 404 | 413 | 415 | 503;

function page(c: Context, text: string, status: Status = 200, script?: string): Response {
  return c.body(text, status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': pageCsp(script),
  });
}

function messagePage(c: Context, status: Status, title: string, message: string): Response {
  return page(
    c,
    layout(title, html`<h1>${title}</h1><section><p>${message}</p><p><a href="/">Retour</a></p></section>`),
    status,
  );
}

function valuesOf(form: Record<string, string | string[]>): FormValues {
  const one = (k: string) => {
    const v = form[k];
    return typeof v === 'string' ? v : undefined;
  };
  const cases = form['cases'];
  return {
    operatorName: one('operatorName'),
    imap: one('imap'),
    smtp: one('smtp'),
    mailbox: one('mailbox'),
    idNat: one('idNat'),
    ca: one('ca'),
    clientCert: one('clientCert'),
    clientCertMailbox: one('clientCertMailbox'),
    cases: cases === undefined ? [] : Array.isArray(cases) ? cases : [cases],
  };
}

export function pageRoutes(ctx: ApiContext): Hono {
  const { jobs } = ctx;
  const app = new Hono();

  app.get('/', (c) => page(c, homePage(ctx.psc, ctx.defaultCa)));

  app.post(
    '/jobs',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        messagePage(
          c,
          413,
          'Formulaire trop volumineux',
          `Le formulaire dépasse ${MAX_BODY_BYTES / 1024} Kio.`,
        ),
    }),
    async (c) => {
      if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? ''))
        return messagePage(c, 415, 'Formulaire invalide', 'Envoyez le formulaire depuis la page d’accueil.');
      const raw = await c.req.parseBody({ all: true });
      const form: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(raw))
        if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))
          form[k] = v as string | string[];
      let job: Job | undefined;
      try {
        job = jobs.submit(jobRequestFrom(inputFromForm(form), ctx.defaultCa));
      } catch (e) {
        if (!isPasserelleError(e)) throw e;
        const error: FormError = { field: formFieldOf(String(e.details['field'])), message: e.message };
        return page(c, homePage(ctx.psc, ctx.defaultCa, valuesOf(form), error), 400);
      }
      if (job === undefined) {
        const error: FormError = {
          field: 'form',
          message: 'La file d’attente est pleine : réessayez quand un job sera terminé.',
        };
        return page(c, homePage(ctx.psc, ctx.defaultCa, valuesOf(form), error), 503);
      }
      return c.redirect(`/jobs/${job.record.id}`, 303);
    },
  );

  app.get('/jobs', (c) => page(c, jobListPage(jobs.list())));

  app.get('/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (job === undefined)
      return messagePage(c, 404, 'Job introuvable', 'Aucun job ne porte cet identifiant.');
    const rendered = jobPage(job);
    return page(c, rendered.html, 200, rendered.script);
  });

  app.post('/jobs/:id/cancel', (c) => {
    const outcome = jobs.cancel(c.req.param('id'));
    if (outcome === undefined)
      return messagePage(c, 404, 'Job introuvable', 'Aucun job ne porte cet identifiant.');
    return c.redirect(`/jobs/${c.req.param('id')}`, 303);
  });

  return app;
}
