import type { Principal, Role } from '../platform/commands/command-context';

export interface Tab {
  href: string;
  label: string;
  current: boolean;
}

interface TabEntry {
  href: string;
  label: string;
  roles: readonly Role[];
}

/** The tabs, in the tutorial's order. */
const TABS: readonly TabEntry[] = [
  { href: '/accueil', label: 'Accueil', roles: ['parent'] },
  { href: '/mon-compte', label: 'Mon compte', roles: ['parent'] },
  { href: '/mes-enfants', label: 'Mes enfants', roles: ['parent'] },
  { href: '/releve', label: 'Relevé de compte', roles: ['parent'] },
  { href: '/messages', label: 'Boîte de réception', roles: ['parent'] },
  { href: '/demandes', label: 'Liste des demandes', roles: ['parent'] },
  { href: '/agents', label: 'Demandes à traiter', roles: ['staff', 'admin', 'auditor'] },
  { href: '/agents/familles', label: 'Familles', roles: ['staff', 'admin', 'auditor'] },
  { href: '/agents/activites', label: 'Activités', roles: ['staff', 'admin', 'auditor'] },
  { href: '/agents/calendrier', label: 'Calendrier', roles: ['staff', 'admin', 'auditor'] },
];

export function navigationFor(principal: Principal, url: string): Tab[] {
  const path = url.split('?')[0];
  const tabs = TABS.filter((t) => t.roles.includes(principal.role));
  // the longest matching prefix is the current tab (/agents/familles/… is « Familles », not « Demandes à traiter »)
  const current = tabs.filter((t) => path === t.href || path.startsWith(`${t.href}/`)).sort((a, b) => b.href.length - a.href.length)[0];
  return tabs.map((t) => ({ href: t.href, label: t.label, current: t === current }));
}
