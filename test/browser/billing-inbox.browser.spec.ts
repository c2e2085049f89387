/// <reference lib="dom" />
/**
 * « Relevé de compte » and « Boîte de réception » in Chromium at a phone's size (390×844), as the tutorial
 * tells them: Accueil shows the balance, the unpaid invoice AL-36 with its PDF and the unread messages; the
 * DUPONT family's 2014-2015 statement (year selector, Mes factures, Mes règlements, Relevé des opérations);
 * the demo conversation « Attestation de frais de garde » read and answered, a new message to a facility,
 * a conversation deleted then restored; « Liste des demandes » filtered on Réservations and Absences.
 * Every page passes axe-core (no serious or critical violation) and is screenshot into /tmp/portail-screens.
 */
import type { Page } from 'puppeteer';

import { RESTAURATION_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { checkPage, login, PHONE, type Portal, startPortal, textOf } from './browser-support';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';
const NBSP = '\u00a0';

describe('Portail web (Chromium): relevé de compte, boîte de réception, liste des demandes', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal();
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
  });

  async function parent(): Promise<Page> {
    const page = await portal.open(PHONE);
    await login(portal, page, DUPONT);
    return page;
  }

  it('shows on Accueil the balance, the unpaid invoice AL-36 with its PDF, and the unread messages', async () => {
    const page = await parent();
    expect(page.url()).toBe(`${portal.base}/accueil`);
    expect(await textOf(page, '#solde')).toBe(`120,60${NBSP}€`);
    const unpaid = await textOf(page, '#impayes');
    expect(unpaid).toContain('Facture AL-36 du 08/04/2015');
    expect(unpaid).toContain(`120,60${NBSP}€`);
    expect(await textOf(page, '#non-lus')).toMatch(/^Vous avez \d+ nouveau\(x\) message\(s\)$/);
    await checkPage(page, 'phone-20-accueil-compte');
    // the PDF comes through the web session (no bearer token in the browser)
    const href = await page.$eval('#impayes a', (a) => (a as HTMLAnchorElement).getAttribute('href'));
    const pdf = await page.evaluate(async (url: string) => {
      const r = await fetch(url);
      const bytes = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href!);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
  });

  it('shows the 2014-2015 statement chosen in the year selector: invoices with PDF, payments, operations and balances', async () => {
    const page = await parent();
    await page.click('nav a[href="/releve"]');
    await page.waitForSelector('#annee');
    await page.select('#annee', '2014-2015');
    await Promise.all([page.waitForNavigation(), page.click('form.year-form button[type=submit]')]);
    expect(page.url()).toBe(`${portal.base}/releve?annee=2014-2015`);
    expect(await textOf(page, 'h1')).toBe('Relevé de compte');
    const invoices = await textOf(page, 'section[aria-labelledby=factures]');
    expect(invoices).toContain('AL-36');
    expect(invoices).toContain(`120,60${NBSP}€`);
    expect(invoices).toContain('AL-12');
    expect(await page.$$eval('section[aria-labelledby=factures] a', (l) => l.map((a) => a.textContent))).toEqual([
      'Facture AL-36 (PDF)',
      'Facture AL-12 (PDF)',
    ]);
    expect(await textOf(page, 'section[aria-labelledby=reglements]')).toContain('AL-228');
    expect(await textOf(page, 'section[aria-labelledby=reglements]')).toContain('Chèque');
    expect(await textOf(page, '#solde-precedent')).toBe(`0,00${NBSP}€`);
    expect(await textOf(page, '#total-debit')).toBe(`363,80${NBSP}€`);
    expect(await textOf(page, '#total-credit')).toBe(`243,20${NBSP}€`);
    expect(await textOf(page, '#solde')).toBe(`120,60${NBSP}€`);
    await checkPage(page, 'phone-21-releve-2014-2015');
  });

  it('lists « Attestation de frais de garde », reads it, answers it, and the answer appears in the conversation and in Envoyés', async () => {
    const page = await parent();
    await page.click('nav a[href="/messages"]');
    await page.waitForSelector('#non-lus');
    await checkPage(page, 'phone-22-messages-recus');
    await page.click('a[href="/messages?dossier=envoyes"]');
    await page.waitForSelector('table.list');
    expect(await textOf(page, 'table.list')).toContain('Attestation de frais de garde');
    await Promise.all([page.waitForNavigation(), page.click('a[href="/messages/demo-question-dupont"]')]);
    expect(await textOf(page, 'h1')).toBe('Attestation de frais de garde');
    expect(await textOf(page, 'main')).toContain('pourriez-vous m');
    await checkPage(page, 'phone-23-conversation');
    await page.type('#message', 'Je vous remercie par avance.\nJean DUPONT');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/repondre"] button[type=submit]')]);
    expect(await textOf(page, '.flash')).toContain('Votre réponse a été envoyée');
    expect(await textOf(page, '#dernier')).toContain('Je vous remercie par avance.');
    expect(await page.$$eval('article.message', (l) => l.length)).toBe(2);
    await page.goto(`${portal.base}/messages?dossier=envoyes`);
    expect(await page.$eval('a[href="/messages/demo-question-dupont"]', (a) => a.closest('tr')!.innerText)).toContain(
      'Attestation de frais de garde',
    );
    expect(
      await page.$eval('a[href="/messages/demo-question-dupont"]', (a) => a.closest('tr')!.querySelector('td:last-child')!.textContent),
    ).toBe('2');
  });

  it('writes a new message to a facility with a subject from the list; deletes the conversation and restores it', async () => {
    const page = await parent();
    await page.goto(`${portal.base}/messages/nouveau`);
    await checkPage(page, 'phone-24-nouveau-message');
    const recipients = await page.$$eval('#destinataire option', (l) => l.map((o) => o.textContent));
    expect(recipients[0]).toBe('Service enfance-famille de la commune');
    expect(recipients.length).toBeGreaterThan(1);
    // an empty message is refused with the reason, the form keeps what was typed
    await page.$eval('#destinataire', (s) => ((s as HTMLSelectElement).selectedIndex = 1));
    await page.select('#objet', 'reservation');
    await page.type('#sujet', 'Repas de Lucie');
    await page.$eval('form[action="/messages/nouveau"]', (f) => f.setAttribute('novalidate', ''));
    await Promise.all([page.waitForNavigation(), page.click('form[action="/messages/nouveau"] button.primary')]);
    expect(await textOf(page, '.error-summary')).toContain('Message');
    expect(await page.$eval('#sujet', (e) => (e as HTMLInputElement).value)).toBe('Repas de Lucie');
    await checkPage(page, 'phone-25-nouveau-message-erreur');
    await page.type('#message', 'Lucie ne mangera pas à la cantine jeudi.');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/messages/nouveau"] button.primary')]);
    expect(await textOf(page, 'h1')).toBe('Repas de Lucie');
    expect(await textOf(page, '.flash')).toContain('Votre message a été envoyé');
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/supprimer"] button')]);
    await page.goto(`${portal.base}/messages?dossier=supprimes`);
    expect(await textOf(page, 'table.list')).toContain('Repas de Lucie');
    await Promise.all([page.waitForNavigation(), page.click('table.list a')]);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/restaurer"] button')]);
    expect(await textOf(page, '.flash')).toContain('restaurée');
    await page.goto(`${portal.base}/messages?dossier=envoyes`);
    expect(await textOf(page, 'table.list')).toContain('Repas de Lucie');
  });

  it('filters « Liste des demandes » on Réservations and on Absences', async () => {
    const api = portal.t;
    const { bearer } = await import('../support/test-app');
    await api.http
      .post(`/families/${DUPONT}/reservations`)
      .set(bearer(api.tokens.dupont))
      .send({ childId: LUCIE, activityId: RESTAURATION_ID, date: '2026-11-26' })
      .expect(201);
    await api.settle();
    const page = await parent();
    await page.click('nav a[href="/demandes"]');
    await page.waitForSelector('nav.filters');
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/demandes?categorie=reservation"]')]);
    expect(await textOf(page, 'table.list')).toContain('Réservation du 26/11/2026');
    expect(await page.$eval('a[href^="/demandes?categorie=reservation"]', (a) => a.getAttribute('aria-current'))).toBe('true');
    await checkPage(page, 'phone-26-demandes-reservations');
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/demandes?categorie=absence"]')]);
    expect(await page.$eval('a[href^="/demandes?categorie=absence"]', (a) => a.getAttribute('aria-current'))).toBe('true');
    expect(await textOf(page, 'main')).not.toContain('Réservation du 26/11/2026');
  });

  it('loaded no page that broke its Content-Security-Policy or threw', () => {
    expect(portal.cspErrors).toEqual([]);
  });
});
