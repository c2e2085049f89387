/// <reference lib="dom" />
/**
 * The parents' portal in Chromium, as the tutorial tells it, at a phone's size (390×844) and on a desktop:
 * login failures, Accueil, Mon compte (an address change asked for, then refused by staff with a reason,
 * then seen in « Liste des demandes »), Mes enfants (book a day from the grid, by click and by keyboard;
 * declare an absence; the same without JavaScript), the password pages at the e-mailed links. Every
 * page passes axe-core (no serious or critical violation) and is screenshot into /tmp/portail-screens.
 */
import type { Page } from 'puppeteer';

import { ALSH_FACILITY, ALSH_MERCREDI_CONFIG, ALSH_MERCREDI_ID } from '../../src/modules/planning/catalog/catalog.examples';
import { checkPage, DESKTOP, login, PHONE, type Portal, startPortal, TABLET, textOf } from './browser-support';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';
const JEANNE = 'jeanne.dupont';

describe('Portail web (Chromium): parents', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal();
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
  });

  async function parent(viewport = PHONE, options?: { javaScript?: boolean }): Promise<Page> {
    const page = await portal.open(viewport, options);
    await login(portal, page, DUPONT);
    return page;
  }

  it('refuses a wrong password on the login page, says why, keeps the identifiant, and locks after five failures', async () => {
    const page = await portal.open(PHONE);
    await page.goto(`${portal.base}/`);
    expect(page.url()).toBe(`${portal.base}/connexion`);
    await checkPage(page, 'phone-01-connexion');
    await page.type('#identifiant', JEANNE);
    await page.type('#mot-de-passe', 'Pas-Le-Bon-2026');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
    expect(await textOf(page, '.error-summary')).toContain('Identifiant ou mot de passe incorrect');
    expect(await page.$eval('#identifiant', (e) => (e as HTMLInputElement).value)).toBe(JEANNE);
    await checkPage(page, 'phone-02-connexion-echec');
    // five failures from here lock this account for this browser's address (the server's throttle), said in French
    for (let attempt = 2; attempt <= 5; attempt++) {
      await page.type('#mot-de-passe', 'Pas-Le-Bon-2026');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
    }
    await page.type('#mot-de-passe', 'Tournesol-Vert-2026');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
    expect(await textOf(page, '.error-summary')).toContain('Trop de tentatives de connexion. Réessayez dans');
    expect(page.url()).toBe(`${portal.base}/connexion`);
    await page.click('a[href="/mot-de-passe/oublie"]');
    await page.waitForSelector('#identifiant');
    await checkPage(page, 'phone-03-mot-de-passe-oublie');
    await page.type('#identifiant', DUPONT);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await textOf(page, 'main')).toContain('lien de réinitialisation');
  });

  it('opens the reset and activation links the portal e-mails, shows the password rules as one types, and says a bad link is refused', async () => {
    const page = await portal.open(PHONE);
    await page.goto(`${portal.base}/mot-de-passe/reinitialiser?compte=${DUPONT}&jeton=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(await textOf(page, 'h1')).toBe('Choisir un nouveau mot de passe');
    await page.type('#nouveau', 'abc');
    expect(await page.$eval('li[data-rule=length]', (e) => e.className)).toContain('ko');
    expect(await page.$eval('li[data-rule=lower]', (e) => e.className)).toContain('ok');
    expect(await page.$eval('li[data-rule=lower] .rule-sr', (e) => e.textContent)).toBe(' : respectée');
    await page.type('#nouveau', 'DEF-123456');
    expect(await page.$$eval('li[data-rule].ko', (l) => l.length)).toBe(0);
    await checkPage(page, 'phone-04-reinitialiser');
    await page.type('#confirmation', 'abcDEF-123456');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await textOf(page, '.error-summary')).toMatch(/lien|jeton|expiré|invalide/i);
    await page.goto(`${portal.base}/activation?compte=nouveau.parent&jeton=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(await textOf(page, 'h1')).toBe('Activer votre compte');
    await checkPage(page, 'phone-05-activation');
  });

  it('asks for an address change from Mon compte; the agent refuses it with a reason; the parent sees it in Liste des demandes', async () => {
    const page = await parent();
    expect(page.url()).toBe(`${portal.base}/accueil`);
    expect(await textOf(page, '.identity')).toBe(`M. DUPONT JEAN – N° Famille ${DUPONT}`);
    await checkPage(page, 'phone-10-accueil');

    await Promise.all([page.waitForNavigation(), page.click('a[href="/mon-compte"]')]);
    await page.click('#compte-responsable details.ask summary');
    await page.type('#ligne1-guardian', '5 AVENUE DES CERISIERS');
    await page.type('#cp-guardian', '31400');
    await page.type('#ville-guardian', 'SAINT-JEAN');
    await Promise.all([page.waitForNavigation(), page.click('#compte-responsable form[action="/mon-compte/adresse"] button')]);
    expect(await textOf(page, '#annonce')).toContain('transmise à la commune');
    expect(await textOf(page, '#compte-responsable .pending-box')).toContain('5 AVENUE DES CERISIERS');
    await checkPage(page, 'phone-11-mon-compte-demande-en-attente');

    // a postal code of 4 digits: the API's message, next to the form, announced
    await page.click('#compte-responsable details.ask summary');
    await page.type('#ligne1-guardian', '1 RUE X');
    await page.type('#cp-guardian', '3140');
    await page.type('#ville-guardian', 'SAINT-JEAN');
    await Promise.all([page.waitForNavigation(), page.click('#compte-responsable form[action="/mon-compte/adresse"] button')]);
    expect(await textOf(page, '.error-summary')).toContain('Code postal : Le code postal doit comporter 5 chiffres.');
    await checkPage(page, 'phone-12-mon-compte-erreur');

    const agent = await portal.open(TABLET);
    await login(portal, agent, 'agent.saint-jean');
    expect(agent.url()).toBe(`${portal.base}/agents`);
    await checkPage(agent, 'tablet-20-agents-demandes');
    const card = await agent.$$eval('article.request', (cards) =>
      cards.filter((c) => c.textContent?.includes('5 AVENUE DES CERISIERS')).map((c) => c.id),
    );
    expect(card).toHaveLength(1);
    await agent.type(`#${card[0]} input[name=motif]`, 'Justificatif de domicile manquant');
    await Promise.all([agent.waitForNavigation(), agent.click(`#${card[0]} form.refuse button`)]);
    expect(await textOf(agent, '#annonce')).toContain('Demande refusée');

    await Promise.all([page.waitForNavigation(), page.click('a[href="/demandes"]')]);
    await Promise.all([page.waitForNavigation(), page.click('nav.filters a[href="/demandes?categorie=guardian"]')]);
    expect(await page.$('a[aria-current=true][href="/demandes?categorie=guardian"]')).not.toBeNull();
    const refused = await textOf(page, 'main');
    expect(refused).toContain('Demandes refusées');
    expect(refused).toContain('Justificatif de domicile manquant');
    await checkPage(page, 'phone-13-liste-des-demandes');
  });

  it('books a day from the planning grid (tap, then a dialog), and sees the answer of the day in place', async () => {
    const page = await parent();
    await page.goto(`${portal.base}/mes-enfants`);
    await checkPage(page, 'phone-30-mes-enfants');
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/mes-enfants/${LUCIE}"]`)]);
    await checkPage(page, 'phone-31-planning');
    const cell = '#c-restauration-scolaire-2026-11-23';
    expect(await page.$eval(`${cell} .sr-only`, (e) => e.textContent)).toMatch(/lundi 23 novembre 2026 : Libre\. Réservable jusqu’au/);
    // a day whose booking deadline has passed says so, instead of a blank cell
    expect(await page.$eval('#c-restauration-scolaire-2026-11-19 .sr-only', (e) => e.textContent)).toMatch(/Réservations closes le/);
    await page.click(`${cell} a`);
    await page.waitForSelector('dialog[open] #jour');
    await checkPage(page, 'phone-32-planning-jour-dialogue');
    await page.click('dialog[open] form button.primary');
    await page.waitForFunction(
      (sel) => !document.querySelector('dialog[open]') && document.querySelector(sel)?.classList.contains('booked'),
      {},
      cell,
    );
    expect(await textOf(page, '#annonce')).toMatch(/Réservation demandée pour le lundi 23 novembre 2026 .* : Réservé/);
    expect(await page.evaluate(() => document.activeElement?.closest('td')?.id)).toBe('c-restauration-scolaire-2026-11-23');
    await checkPage(page, 'phone-33-planning-reserve');
  });

  it('moves in the grid with the arrow keys and books with Enter; declares an absence on a booked day', async () => {
    const page = await parent(DESKTOP);
    await page.goto(`${portal.base}/mes-enfants/${LUCIE}`);
    await page.waitForSelector('#grille');
    // one tab stop: focus the grid's active cell, then walk with the arrows to Tuesday 24
    await page.focus('#grille a[tabindex="0"]');
    await page.evaluate(() => (document.querySelector('#c-restauration-scolaire-2026-11-23 a') as HTMLElement).focus());
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.closest('td')?.id)).toBe('c-restauration-scolaire-2026-11-24');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open] #jour');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#c-restauration-scolaire-2026-11-24')?.classList.contains('booked'));

    // the booked Tuesday: declare an absence (right-click kept as a shortcut)
    const booked = '#c-restauration-scolaire-2026-11-24';
    expect(await page.$eval(`${booked} .sr-only`, (e) => e.textContent)).toMatch(
      /Absence à signaler avant le mardi 24 novembre 2026 à 09:00/,
    );
    await page.click(`${booked} a`, { button: 'right' });
    await page.waitForSelector('dialog[open] #jour');
    await checkPage(page, 'desktop-34-planning-absence-dialogue');
    await page.click('dialog[open] form input[value=absence] ~ button');
    await page.waitForFunction(
      (sel) => !document.querySelector('dialog[open]') && !document.querySelector(sel)?.classList.contains('booked'),
      {},
      booked,
    );
    expect(await textOf(page, '#annonce')).toMatch(/Absence déclarée pour le mardi 24 novembre 2026 .* : Absent excusé/);
    await checkPage(page, 'desktop-35-planning-absence');
    // the previous and next months
    await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
    expect(await textOf(page, '#planning-titre')).toBe('Planning – Décembre 2026');
  });

  it('works without the portal’s script: a day is a page with plain forms', async () => {
    const page = await parent(PHONE, { javaScript: false });
    await page.goto(`${portal.base}/mes-enfants/${LUCIE}`);
    await page.$eval('#c-restauration-scolaire-2026-11-26 a', (a) => a.scrollIntoView({ inline: 'center', block: 'center' }));
    await Promise.all([page.waitForNavigation(), page.click('#c-restauration-scolaire-2026-11-26 a')]);
    expect(await textOf(page, 'h1')).toBe('jeudi 26 novembre 2026');
    await checkPage(page, 'phone-36-jour-sans-js');
    await Promise.all([page.waitForNavigation(), page.click('form button.primary')]);
    expect(page.url()).toContain(`/mes-enfants/${LUCIE}?mois=2026-11`);
    expect(await textOf(page, '#annonce')).toMatch(/Réservation demandée pour le jeudi 26 novembre 2026/);
    expect(await page.$eval('#c-restauration-scolaire-2026-11-26', (e) => e.className)).toContain('booked');
  });

  it('applies a « semaine type » over a period and shows the answer of each day', async () => {
    const page = await parent();
    await page.goto(`${portal.base}/mes-enfants`);
    await page.$eval('#du', (e) => ((e as HTMLInputElement).value = '2026-11-30'));
    await page.$eval('#au', (e) => ((e as HTMLInputElement).value = '2026-12-04'));
    await page.click(`input[id="j-${LUCIE}:restauration-scolaire-1"]`);
    await page.click(`input[id="j-${LUCIE}:restauration-scolaire-4"]`);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/mes-enfants/semaine-type"] button')]);
    expect(await textOf(page, 'main')).toContain('2 jour(s) demandé(s), 0 refusé(s)');
    expect(await textOf(page, 'table')).toContain('lundi 30 novembre 2026');
    await checkPage(page, 'phone-37-semaine-type');
    await page.goto(`${portal.base}/mes-enfants/${LUCIE}?mois=2026-12`);
    expect(await page.$eval('#c-restauration-scolaire-2026-12-03', (e) => e.className)).toContain('booked');
  });

  it('changes the password with the rules shown, and logs out', async () => {
    const page = await parent(DESKTOP);
    await page.goto(`${portal.base}/mot-de-passe`);
    await checkPage(page, 'desktop-40-changer-mot-de-passe');
    await page.type('#actuel', 'Faux-Mot-2026');
    await page.type('#nouveau', 'Girafe-Bleue-2027');
    await page.type('#confirmation', 'Girafe-Bleue-2027');
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    expect(await textOf(page, '.error-summary')).toContain('incorrect');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/deconnexion"] button')]);
    expect(page.url()).toBe(`${portal.base}/connexion`);
    expect(await textOf(page, '#annonce')).toContain('déconnecté');
    await page.goto(`${portal.base}/accueil`);
    expect(page.url()).toBe(`${portal.base}/connexion?retour=%2Faccueil`);
  });

  it('keeps a parent to their own family: another family’s child answers « introuvable », staff pages are refused', async () => {
    const page = await portal.open(PHONE);
    await login(portal, page, '1001001818332');
    const child = await page.goto(`${portal.base}/mes-enfants/${LUCIE}`);
    expect(child?.status()).toBe(404);
    const day = await page.goto(`${portal.base}/mes-enfants/${LUCIE}/jour?activite=restauration-scolaire&date=2026-11-23`);
    expect(day?.status()).toBe(404);
    const staff = await page.goto(`${portal.base}/agents/familles/${DUPONT}`);
    expect(staff?.status()).toBe(403);
    await checkPage(page, 'phone-50-acces-refuse');
  });

  it('shows a waiting-list rank, then the place offered when another child cancels; the parent accepts it from the grid', async () => {
    const { t } = portal;
    const staff = { Authorization: `Bearer ${t.tokens.staff}` };
    // one place a Wednesday; a second child of the family, enrolled too (through the API)
    const paul = await t.http
      .post(`/families/${DUPONT}/children`)
      .set(staff)
      .send({ firstName: 'PAUL', lastName: 'DUPONT', birthDate: '2017-05-02', sex: 'M' })
      .expect(201);
    const PAUL = paul.body.childId as string;
    await t.http
      .post(`/families/${DUPONT}/enrolments`)
      .set(staff)
      .send({ childId: PAUL, activityId: ALSH_MERCREDI_ID, schoolYear: '2026-2027' })
      .expect(201);
    await t.http
      .put(`/facilities/${ALSH_FACILITY.facilityId}/activities/${ALSH_MERCREDI_ID}`)
      .set(staff)
      .send({ ...ALSH_MERCREDI_CONFIG, placesPerDay: 1 })
      .expect(200);
    await t.settle();
    const page = await parent(DESKTOP);
    const cellOf = (_child: string) => `#c-${ALSH_MERCREDI_ID}-2026-12-02`;
    const book = async (child: string) => {
      await page.goto(`${portal.base}/mes-enfants/${child}?mois=2026-12`);
      await page.click(`${cellOf(child)} a`);
      await page.waitForSelector('dialog[open] #jour');
      await page.click('dialog[open] form button.primary');
      await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    };
    // Lucie holds the place: Wednesday is a day of her regular contract
    await page.goto(`${portal.base}/mes-enfants/${LUCIE}?mois=2026-12`);
    expect(await page.$eval(`${cellOf(LUCIE)} .sr-only`, (e) => e.textContent)).toContain('Régulier');
    await book(PAUL);
    expect(await textOf(page, '#annonce')).toMatch(/Liste d’attente|attente/i);
    const waiting = await page.$eval(`${cellOf(PAUL)} .sr-only`, (e) => e.textContent);
    expect(waiting).toMatch(/rang 1|position 1|1(er|re)? /i);
    await checkPage(page, 'desktop-38-liste-attente');

    // Lucie's place is cancelled: the place is offered to Paul
    await page.goto(`${portal.base}/mes-enfants/${LUCIE}?mois=2026-12`);
    await page.click(`${cellOf(LUCIE)} a`);
    await page.waitForSelector('dialog[open] #jour');
    await page.click('dialog[open] form input[value=annuler] ~ button');
    await page.waitForFunction(() => !document.querySelector('dialog[open]'));
    await t.settle();
    await page.goto(`${portal.base}/mes-enfants/${PAUL}?mois=2026-12`);
    expect(await page.$eval(`${cellOf(PAUL)} .sr-only`, (e) => e.textContent)).toMatch(/Place proposée : répondez avant le/);
    await page.click(`${cellOf(PAUL)} a`);
    await page.waitForSelector('dialog[open] #jour');
    await checkPage(page, 'desktop-39-place-proposee');
    await page.click('dialog[open] form input[value=accepter-offre] ~ button');
    await page.waitForFunction(
      (sel) => !document.querySelector('dialog[open]') && document.querySelector(sel)?.classList.contains('booked'),
      {},
      cellOf(PAUL),
    );
    expect(await textOf(page, '#annonce')).toMatch(/Place acceptée pour le mercredi 2 décembre 2026 .* : Réservé/);
  });

  it('loaded no page that broke its Content-Security-Policy or threw', () => {
    expect(portal.cspErrors).toEqual([]);
  });
});
