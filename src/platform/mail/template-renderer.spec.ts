import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { defaultTemplatesDir, frDateTime, TemplateRenderer } from './template-renderer';

const renderer = new TemplateRenderer();

const activation = {
  displayName: 'Camille Martin',
  login: 'camille.martin',
  activationUrl: 'https://portail.example.fr/activation?token=abc&x=1',
  expiresAt: '2026-11-28T09:00:00.000Z',
  communeName: 'Ville-sur-Loire',
};
const reset = {
  displayName: 'Camille Martin',
  login: 'camille.martin',
  resetUrl: 'https://portail.example.fr/mot-de-passe?token=xyz',
  expiresAt: '2026-11-28T09:00:00.000Z',
};
const resetDone = { displayName: 'Camille Martin', login: 'camille.martin', changedAt: '2026-07-14T08:30:00Z' };

describe('TemplateRenderer with the shipped templates', () => {
  it('finds the shipped templates in the source folder', () => {
    expect(defaultTemplatesDir()).toBe(path.join(__dirname, 'templates'));
    expect(renderer.templateNames()).toEqual([
      'account-activation',
      'family-notice',
      'password-reset',
      'password-reset-done',
      'planning-notice',
    ]);
  });

  it('renders planning-notice with the title as subject and the message escaped in HTML', () => {
    const mail = renderer.render('planning-notice', {
      displayName: 'JEAN DUPONT',
      title: 'Une place se libère',
      message: 'Place <b>libre</b>',
    });
    expect(mail.subject).toBe('Une place se libère — Portail Famille');
    expect(mail.text).toContain('Place <b>libre</b>');
    expect(mail.html).toContain('Place &lt;b&gt;libre&lt;/b&gt;');
  });

  it('renders account-activation in French, with the link, the identifiant and the expiry in Paris time', () => {
    const mail = renderer.render('account-activation', activation);
    expect(mail.subject).toBe('Activez votre compte Portail Famille (Ville-sur-Loire)');
    expect(mail.text).toContain('Bonjour Camille Martin,');
    expect(mail.text).toContain('Votre identifiant : camille.martin');
    expect(mail.text).toContain('\nhttps://portail.example.fr/activation?token=abc&x=1\n');
    expect(mail.text).toContain('Il expire le 28 novembre 2026 à 10:00.');
    expect(mail.text).toMatch(/-- \nLe service Enfance-Jeunesse — Portail Famille\n/);
    expect(mail.html).toContain('<html lang="fr">');
    // the URL is HTML-escaped inside the attribute, which a browser decodes back to the same URL
    expect(mail.html).toContain('href="https://portail.example.fr/activation?token&#x3D;abc&amp;x&#x3D;1"');
    expect(mail.html).toContain('Il expire le <strong>28 novembre 2026 à 10:00</strong>');
    expect(mail.html).toContain('Le service Enfance-Jeunesse — Portail Famille');
  });

  it('renders password-reset with the reassurance sentence', () => {
    const mail = renderer.render('password-reset', reset);
    expect(mail.subject).toBe('Réinitialisation de votre mot de passe Portail Famille');
    expect(mail.text).toContain('(identifiant : camille.martin)');
    expect(mail.text).toContain('\nhttps://portail.example.fr/mot-de-passe?token=xyz\n');
    expect(mail.text).toContain('Il expire le 28 novembre 2026 à 10:00.');
    const sentence = "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.";
    expect(mail.text).toContain(sentence);
    expect(mail.html).toContain(sentence);
    expect(mail.html).toContain('<title>Réinitialisation de votre mot de passe</title>');
  });

  it('renders password-reset-done with the change time, the closed sessions and whom to call', () => {
    const mail = renderer.render('password-reset-done', resetDone);
    expect(mail.subject).toBe('Votre mot de passe Portail Famille a été modifié');
    expect(mail.text).toContain('a été modifié le 14 juillet 2026 à 10:30.'); // summer time: UTC+2
    expect(mail.text).toContain('toutes vos autres sessions ont été fermées');
    expect(mail.text).toContain("Si vous n'êtes pas à l'origine de ce changement, contactez immédiatement votre mairie.");
    expect(mail.html).toContain('<strong>14 juillet 2026 à 10:30</strong>');
  });

  it('escapes a name in the HTML part and leaves it as typed in the text part and the subject', () => {
    const name = `<script>alert("x")</script> O'Brien & fils`;
    const mail = renderer.render('account-activation', { ...activation, displayName: name, communeName: '<b>Ville</b>' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>Ville</b>');
    expect(mail.html).toContain('Bonjour &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; fils,');
    expect(mail.text).toContain(`Bonjour ${name},`);
    expect(mail.subject).toBe('Activez votre compte Portail Famille (<b>Ville</b>)');
  });

  it('refuses to render when a variable is missing (strict mode), naming the template, part and variable', () => {
    const { login: _login, ...withoutLogin } = reset;
    expect(() => renderer.render('password-reset', withoutLogin)).toThrow(/password-reset.*"login" not defined/);
  });

  it('refuses a missing or malformed date given to frDateTime', () => {
    const { expiresAt: _expiresAt, ...withoutExpiry } = reset;
    expect(() => renderer.render('password-reset', withoutExpiry)).toThrow(/frDateTime .*undefined/);
    expect(() => renderer.render('password-reset', { ...reset, expiresAt: 'demain' })).toThrow(/frDateTime/);
  });

  it('refuses an unknown template, listing the known ones', () => {
    expect(() => renderer.render('welcome', {})).toThrow(
      'Unknown mail template "welcome" (known: account-activation, family-notice, password-reset, password-reset-done, planning-notice)',
    );
  });
});

describe('frDateTime', () => {
  it.each([
    ['2026-11-28T09:00:00Z', '28 novembre 2026 à 10:00'],
    ['2026-11-28T10:00:00+01:00', '28 novembre 2026 à 10:00'],
    ['2026-12-01T07:05:00.123Z', '1er décembre 2026 à 08:05'],
    ['2026-03-29T01:30:00Z', '29 mars 2026 à 03:30'], // just after the switch to summer time
    ['2026-12-31T23:30:00Z', '1er janvier 2027 à 00:30'], // the Paris date, not the UTC one
  ])('formats %s as « %s »', (instant, expected) => {
    expect(frDateTime(instant)).toBe(expected);
  });

  it('takes a Date and refuses an instant without offset, an impossible date or a non-date', () => {
    expect(frDateTime(new Date('2026-11-28T09:00:00Z'))).toBe('28 novembre 2026 à 10:00');
    for (const value of ['2026-11-28T10:00', '2026-11-28', '2026-13-40T10:00:00Z', 1_764_320_400_000, null]) {
      expect(() => frDateTime(value)).toThrow(/frDateTime expects an ISO instant/);
    }
  });
});

describe('TemplateRenderer folder checks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mail-templates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  };

  it('keeps subjects on one line and wraps HTML parts in the layout partial', () => {
    write({
      '_layout.html.hbs': '<main title="{{title}}">{{> @partial-block}}</main>',
      '_signature.text.hbs': '-- \nSignature',
      'note.subject.hbs': '  Note pour\n  {{name}}\n',
      'note.text.hbs': 'Bonjour {{name}}\n\n{{> signature}}\n',
      'note.html.hbs': '{{#> layout title="Note"}}<p>{{name}}</p>{{/layout}}',
    });
    const mail = new TemplateRenderer(dir).render('note', { name: 'Léa\r\nBcc: x@y.fr' });
    expect(mail.subject).toBe('Note pour Léa Bcc: x@y.fr');
    expect(mail.text).toBe('Bonjour Léa\r\nBcc: x@y.fr\n\n-- \nSignature\n');
    expect(mail.html).toBe('<main title="Note"><p>Léa\r\nBcc: x@y.fr</p></main>\n');
  });

  it('refuses, at construction, a template that lacks a part', () => {
    write({ 'note.subject.hbs': 'Note', 'note.text.hbs': 'Texte' });
    expect(() => new TemplateRenderer(dir)).toThrow('Mail template "note" lacks note.html.hbs');
  });

  it('refuses, at construction, a misnamed file', () => {
    write({ 'note.htm.hbs': '<p></p>' });
    expect(() => new TemplateRenderer(dir)).toThrow(/Unexpected file note\.htm\.hbs/);
  });

  it('refuses, at construction, a syntax error or a helper that does not exist', () => {
    write({ 'note.subject.hbs': 'Note {{#if}}', 'note.text.hbs': 'x', 'note.html.hbs': 'x' });
    expect(() => new TemplateRenderer(dir)).toThrow(/note\.subject\.hbs/);
    write({ 'note.subject.hbs': 'Note {{upper name}}' });
    expect(() => new TemplateRenderer(dir)).toThrow(/unknown helper upper/);
  });
});
