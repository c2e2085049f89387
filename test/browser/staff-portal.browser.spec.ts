/// <reference lib="dom" />
/**
 * The back-office in Chromium, on a tablet (1024×768) and a phone: the queue of requests (accept), a
 * family found by its number and its record, the day list of an activity with the attendance sheet
 * (pointage), a closure that shows on the family's grid, the auditor's read-only history; staff of
 * another commune do not reach the family. Every page passes axe-core and is screenshot.
 */
import { PERISCOLAIRE_FACILITY } from '../../src/modules/planning/catalog/catalog.examples';
import { checkPage, DESKTOP, login, PHONE, type Portal, startPortal, TABLET, textOf } from './browser-support';

const DUPONT = '1001001818331';
const LUCIE = 'enfant-lucie-dupont';
const PERISCOLAIRE = PERISCOLAIRE_FACILITY.facilityId;

describe('Portail web (Chromium): staff and auditors', () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal();
    // something to decide: a parent's request, and a booked day to take attendance of (through the API)
    const { t } = portal;
    await t.http
      .post(`/families/${DUPONT}/requests/caf`)
      .set({ Authorization: `Bearer ${t.tokens.dupont}` })
      .send({
        changes: { regime: 'CAF', allocataireNumber: '1234567', quotientFamilial: 850 },
      });
    await t.http
      .post(`/families/${DUPONT}/reservations`)
      .set({ Authorization: `Bearer ${t.tokens.dupont}` })
      .send({ childId: LUCIE, activityId: 'restauration-scolaire', date: '2026-11-23' });
    await t.settle();
  }, 60_000);
  afterAll(async () => {
    await portal?.close();
  });

  it('accepts a request from the queue; the record shows the new CAF information', async () => {
    const page = await portal.open(TABLET);
    await login(portal, page, 'agent.saint-jean');
    const card = await page.$$eval('article.request', (cards) => cards.filter((c) => c.textContent?.includes('1234567')).map((c) => c.id));
    expect(card).toHaveLength(1);
    await Promise.all([page.waitForNavigation(), page.click(`#${card[0]} form:not(.refuse) button`)]);
    expect(await textOf(page, '#annonce')).toContain('Demande acceptée');
    // a refusal without a reason is refused, with the reason why
    await Promise.all([page.waitForNavigation(), page.click('a[href="/agents/familles"]')]);
    await checkPage(page, 'tablet-21-agents-familles');
    await page.type('#numero', DUPONT);
    await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
    expect(page.url()).toBe(`${portal.base}/agents/familles/${DUPONT}`);
    await checkPage(page, 'tablet-22-agents-dossier');
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/agents/familles/${DUPONT}/enfants/${LUCIE}"]`)]);
    expect(await page.$eval('#c-restauration-scolaire-2026-11-23', (e) => e.className)).toContain('booked');
    await checkPage(page, 'tablet-23-agents-planning-enfant');
  });

  it('takes the attendance of a day on a tablet, and declares a closure the family then sees', async () => {
    // attendance is taken on the day itself (the rule is the server's): Monday 23, at noon
    portal.t.clock.set('2026-11-23T12:00:00+01:00');
    const page = await portal.open(TABLET);
    await login(portal, page, 'agent.saint-jean');
    await Promise.all([page.waitForNavigation(), page.click('a[href="/agents/activites"]')]);
    await checkPage(page, 'tablet-24-agents-activites');
    await page.goto(`${portal.base}/agents/activites/restauration-scolaire/jours/2026-11-23`);
    expect(await textOf(page, 'main')).toContain('DUPONT LUCIE');
    await checkPage(page, 'tablet-25-agents-liste-du-jour');
    await page.click(`input[id="pr-${DUPONT}:${LUCIE}"]`);
    await Promise.all([page.waitForNavigation(), page.click('form.sheet button.primary')]);
    expect(await textOf(page, '#annonce')).toContain('Pointage enregistré');
    expect(await page.$eval(`input[id="pr-${DUPONT}:${LUCIE}"]`, (e) => (e as HTMLInputElement).checked)).toBe(true);

    await page.goto(`${portal.base}/agents/activites`);
    const form = `form[action="/agents/structures/${PERISCOLAIRE}/fermetures"]`;
    await page.click(`#f-${PERISCOLAIRE} ~ details.ask summary`);
    // a date field is filled as a date picker would fill it
    await page.$eval(`${form} input[name=du]`, (e) => ((e as HTMLInputElement).value = '2026-12-03'));
    await page.type(`${form} input[name=motif]`, 'Journée pédagogique');
    await Promise.all([page.waitForNavigation(), page.click(`${form} button.primary`)]);
    expect(await textOf(page, '#annonce')).toContain('Fermeture enregistrée');
    expect(await textOf(page, `#f-${PERISCOLAIRE} ~ ul + h3 + ul`)).toContain('Journée pédagogique');

    const parent = await portal.open(PHONE);
    await login(portal, parent, DUPONT);
    await parent.goto(`${portal.base}/mes-enfants/${LUCIE}?mois=2026-12`);
    const closed = await parent.$$eval('td.cell.closed .sr-only', (cells) => cells.map((c) => c.textContent));
    expect(closed.join(' ')).toContain('jeudi 3 décembre 2026 : Fermeture');
  });

  it('adjusts the school calendar as an admin: a bridge the families’ grids then show', async () => {
    const page = await portal.open(DESKTOP);
    await login(portal, page, 'admin');
    await page.goto(`${portal.base}/agents/calendrier`);
    await checkPage(page, 'desktop-27-agents-calendrier');
    await page.type('#cal-nom', 'Pont du 11 décembre');
    await page.$eval('#cal-du', (e) => ((e as HTMLInputElement).value = '2026-12-11'));
    await Promise.all([page.waitForNavigation(), page.click('form[action="/agents/calendrier"] button.primary')]);
    expect(await textOf(page, '#annonce')).toContain('Calendrier ajusté');
    expect(await textOf(page, 'table')).toContain('Pont du 11 décembre');
  });

  it('shows the auditor the family’s history, read-only; keeps staff of another commune out', async () => {
    const page = await portal.open(DESKTOP);
    await login(portal, page, 'auditeur');
    await page.goto(`${portal.base}/agents/familles/${DUPONT}/historique`);
    expect(await textOf(page, 'table')).toContain('FamilyRegistered');
    await checkPage(page, 'desktop-26-auditeur-historique');
    await page.goto(`${portal.base}/agents`);
    expect(await page.$$('form[action^="/agents/demandes/"]')).toHaveLength(0);
    const write = await page.goto(`${portal.base}/agents/activites/restauration-scolaire/jours/2026-11-23`);
    expect(write?.status()).toBe(200);
    expect(await page.$$('form.sheet button')).toHaveLength(0);

    const other = await portal.open(DESKTOP);
    await login(portal, other, 'agent.peaugres');
    const record = await other.goto(`${portal.base}/agents/familles/${DUPONT}`);
    expect(record?.status()).toBe(404);
    const day = await other.goto(`${portal.base}/agents/activites/restauration-scolaire/jours/2026-11-23`);
    expect(day?.status()).toBe(404);
  });

  it('loaded no page that broke its Content-Security-Policy or threw', () => {
    expect(portal.cspErrors).toEqual([]);
  });
});
