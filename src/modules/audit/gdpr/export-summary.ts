/** The readable French summary of a family's GDPR export (HTML; pure: the data in, the page out). */
import type { FamilyRequestDocument } from '../../../../projections/family-requests/family-requests.projection';
import type { HistoryRow } from '../family-audit/family-events';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

const frenchInstant = (iso: string): string =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));

function adult(label: string, person: Record<string, unknown> | undefined): string {
  if (!person) return '';
  const address = person.address as Record<string, unknown> | undefined;
  const lines = [
    `${escapeHtml(person.civility)} ${escapeHtml(person.firstName)} ${escapeHtml(person.lastName)}`,
    address
      ? `${escapeHtml(address.line1)}${address.line2 ? `, ${escapeHtml(address.line2)}` : ''}, ${escapeHtml(address.postalCode)} ${escapeHtml(address.city)}`
      : '',
    person.email ? `Courriel : ${escapeHtml(person.email)}` : '',
  ].filter(Boolean);
  return `<h3>${label}</h3><p>${lines.join('<br>')}</p>`;
}

const CONTEXT_LABELS: Record<string, string> = {
  families: 'dossier famille',
  planning: 'planning et réservations',
  identity: 'comptes de connexion',
  audit: 'consultations et RGPD',
  billing: 'facturation',
  inbox: 'messages',
  other: 'autres',
};

export function exportSummaryHtml(input: {
  familyId: string;
  producedAt: string;
  record: Record<string, unknown> | null;
  requests: FamilyRequestDocument[];
  events: HistoryRow[];
}): string {
  const record = input.record ?? {};
  const children = (record.children as Record<string, unknown>[] | undefined) ?? [];
  const byContext = new Map<string, number>();
  for (const e of input.events) byContext.set(e.context, (byContext.get(e.context) ?? 0) + 1);
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Vos données — famille ${escapeHtml(input.familyId)}</title>
<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}table{border-collapse:collapse;width:100%}th,td{border:1px solid #888;padding:.3rem;text-align:left}</style></head>
<body>
<h1>Vos données personnelles</h1>
<p>Famille n° ${escapeHtml(input.familyId)} — document produit le ${escapeHtml(frenchInstant(input.producedAt))}.</p>
<p>Ce résumé accompagne le fichier JSON complet (droit d'accès et droit à la portabilité, articles 15 et 20 du RGPD).</p>
<h2>Dossier famille</h2>
${adult('Responsable', record.guardian as Record<string, unknown> | undefined)}
${adult('Conjoint', record.spouse as Record<string, unknown> | undefined)}
<h3>Enfants</h3>
<ul>${children.map((c) => `<li>${escapeHtml(c.firstName)} ${escapeHtml(c.lastName)}, né(e) le ${escapeHtml(c.birthDate)}</li>`).join('') || '<li>Aucun</li>'}</ul>
<h2>Demandes (${input.requests.length})</h2>
<table><thead><tr><th scope="col">Date demande</th><th scope="col">Type</th><th scope="col">Objet</th><th scope="col">État</th><th scope="col">Date acceptation / refus</th><th scope="col">Motif refus</th></tr></thead>
<tbody>${input.requests
    .map(
      (r) =>
        `<tr><td>${escapeHtml(frenchInstant(r.requestedAt))}</td><td>${escapeHtml(r.typeLabel)}</td><td>${escapeHtml(r.summary)}</td><td>${escapeHtml(r.statusLabel)}</td><td>${escapeHtml((r.acceptedAt ?? r.refusedAt) ? frenchInstant((r.acceptedAt ?? r.refusedAt)!) : '')}</td><td>${escapeHtml(r.refusalReason ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table>
<h2>Historique</h2>
<p>${input.events.length} événements enregistrés vous concernent : ${[...byContext.entries()].map(([c, n]) => `${escapeHtml(CONTEXT_LABELS[c] ?? c)} ${n}`).join(', ')}. Le détail complet figure dans le fichier JSON.</p>
</body>
</html>
`;
}
