/** Connexion, « Mot de passe oublié ? », the reset and activation links the portal e-mails, change of password, Déconnexion. */
import { passwordRulesDescription } from '../../modules/identity';
import { ApiRefusal } from '../api-client';
import { homeOf, page, type PageRequest, type PageRoute, redirect, safeBack } from '../portal';
import { cookie, SESSION_COOKIE } from '../web-session';
import { errorView, field } from './forms';

/** The rules as the page lists them; the first five are also checked as the person types (portail.js). */
const RULE_IDS = ['length', 'upper', 'lower', 'digit', 'login'];
export const PASSWORD_RULES = passwordRulesDescription.map((text, i) => ({ id: RULE_IDS[i] ?? 'server', text }));

const MISMATCH = 'Les deux mots de passe saisis ne sont pas identiques.';

export function authPages(options: { cookieSecure: boolean }): PageRoute[] {
  const secure = options.cookieSecure;
  const loginPage = (p: PageRequest, extra: Record<string, unknown> = {}, status?: number) =>
    page('login', 'Connexion', { retour: safeBack(p.query.retour ?? p.form._retour) ?? '', ...extra }, status);

  const tokenPage = (kind: 'reset' | 'activation', p: PageRequest, extra: Record<string, unknown> = {}, status?: number) => {
    const login = p.query.compte ?? (typeof p.form.compte === 'string' ? p.form.compte : '');
    const token = p.query.jeton ?? (typeof p.form.jeton === 'string' ? p.form.jeton : '');
    const texts =
      kind === 'reset'
        ? {
            heading: 'Choisir un nouveau mot de passe',
            intro: 'Choisissez le nouveau mot de passe de votre compte famille.',
            button: 'Enregistrer le mot de passe',
            action: '/mot-de-passe/reinitialiser',
          }
        : {
            heading: 'Activer votre compte',
            intro: 'Bienvenue sur le Portail Famille : choisissez le mot de passe de votre compte pour l’activer.',
            button: 'Activer mon compte',
            action: '/activation',
          };
    if (!login || !token) {
      return page(
        'message',
        texts.heading,
        { heading: 'Lien incomplet', text: 'Ce lien est incomplet : ouvrez le lien complet reçu par e-mail.' },
        400,
      );
    }
    return page('token-password', texts.heading, { ...texts, login, token, passwordRules: PASSWORD_RULES, ...extra }, status);
  };

  const tokenSubmit = (kind: 'reset' | 'activation') => async (p: PageRequest) => {
    const password = field(p.form, 'motDePasse');
    if (password !== field(p.form, 'confirmation')) return tokenPage(kind, p, { error: MISMATCH }, 422);
    try {
      await p.api.post(kind === 'reset' ? '/auth/password/reset' : '/auth/activate', {
        login: field(p.form, 'compte'),
        token: field(p.form, 'jeton'),
        password,
      });
    } catch (error) {
      return tokenPage(kind, p, errorView(error, { password: 'Mot de passe' }), error instanceof ApiRefusal ? error.status : 500);
    }
    const text =
      kind === 'reset' ? 'Votre mot de passe a été changé : connectez-vous avec le nouveau.' : 'Votre compte est activé : connectez-vous.';
    return redirect('/connexion', { kind: 'success', text });
  };

  return [
    {
      method: 'GET',
      path: '/',
      access: 'public',
      handle: async (p) => redirect(p.principal ? homeOf(p.principal) : '/connexion'),
    },
    {
      method: 'GET',
      path: '/connexion',
      access: 'public',
      handle: async (p) => (p.principal ? redirect(homeOf(p.principal)) : loginPage(p)),
    },
    {
      method: 'POST',
      path: '/connexion',
      access: 'public',
      handle: async (p) => {
        const login = field(p.form, 'identifiant').trim();
        try {
          const session = await p.api.post<{ token: string }>('/auth/login', { login, password: field(p.form, 'motDePasse') });
          const back = safeBack(p.form._retour);
          return redirect(back && back !== '/connexion' ? back : '/', undefined, [cookie(SESSION_COOKIE, session.token, { secure })]);
        } catch (error) {
          if (!(error instanceof ApiRefusal)) throw error;
          const message = error.status === 400 ? 'Saisissez votre identifiant et votre mot de passe.' : error.message;
          return loginPage(p, { error: message, login }, error.status === 400 ? 422 : error.status);
        }
      },
    },
    {
      method: 'POST',
      path: '/deconnexion',
      access: 'public',
      handle: async (p) => {
        if (p.principal) await p.api.post('/auth/logout', {});
        return redirect('/connexion', { kind: 'info', text: 'Vous êtes déconnecté(e).' }, [
          cookie(SESSION_COOKIE, '', { secure, maxAge: 0 }),
        ]);
      },
    },
    {
      method: 'GET',
      path: '/mot-de-passe/oublie',
      access: 'public',
      handle: async () => page('forgot', 'Mot de passe oublié'),
    },
    {
      method: 'POST',
      path: '/mot-de-passe/oublie',
      access: 'public',
      handle: async (p) => {
        try {
          const answer = await p.api.post<{ message: string }>('/auth/password/forgot', { login: field(p.form, 'identifiant').trim() });
          return page('forgot', 'Mot de passe oublié', { sent: answer.message });
        } catch (error) {
          return page('forgot', 'Mot de passe oublié', errorView(error, { login: 'Identifiant' }), 422);
        }
      },
    },
    { method: 'GET', path: '/mot-de-passe/reinitialiser', access: 'public', handle: async (p) => tokenPage('reset', p) },
    { method: 'POST', path: '/mot-de-passe/reinitialiser', access: 'public', handle: tokenSubmit('reset') },
    { method: 'GET', path: '/activation', access: 'public', handle: async (p) => tokenPage('activation', p) },
    { method: 'POST', path: '/activation', access: 'public', handle: tokenSubmit('activation') },
    {
      method: 'GET',
      path: '/mot-de-passe',
      access: 'logged-in',
      handle: async () => page('change-password', 'Changer de mot de passe', { passwordRules: PASSWORD_RULES }),
    },
    {
      method: 'POST',
      path: '/mot-de-passe',
      access: 'logged-in',
      handle: async (p) => {
        const newPassword = field(p.form, 'motDePasse');
        const again = { passwordRules: PASSWORD_RULES };
        if (newPassword !== field(p.form, 'confirmation'))
          return page('change-password', 'Changer de mot de passe', { ...again, error: MISMATCH }, 422);
        try {
          await p.api.post('/auth/password', { currentPassword: field(p.form, 'actuel'), newPassword });
        } catch (error) {
          if (error instanceof ApiRefusal && error.status === 401 && error.error.code === 'UNAUTHENTICATED') throw error;
          const view = errorView(error, { newPassword: 'Nouveau mot de passe', currentPassword: 'Mot de passe actuel' });
          return page('change-password', 'Changer de mot de passe', { ...again, ...view }, 422);
        }
        return redirect(p.principal ? homeOf(p.principal) : '/', { kind: 'success', text: 'Votre mot de passe a été changé.' });
      },
    },
  ];
}
