/**
 * What the allocator's decisions mean for a family, in words and in the family's own stream (pure).
 */
import { type ReservationEnded } from '../family-planning/family-planning.events';
import { formatDateFr, formatInstantFr } from '../rules/format-fr';
import type { FamilyNotice } from './allocation-follow-ups.workflow';

/** The French words of each notice (the template lays them out). */
export function noticeText(notice: FamilyNotice, child: string, activity: string): { title: string; message: string } {
  const day = formatDateFr(notice.date);
  const what = `${activity} du ${day} pour ${child}`;
  switch (notice.kind) {
    case 'wait-listed':
      return {
        title: "Demande en liste d'attente",
        message: `L'activité ${what} est complète : votre demande est en liste d'attente (rang ${notice.rank ?? '?'}). Vous serez prévenu(e) si une place se libère.`,
      };
    case 'place-offered':
      return {
        title: 'Une place se libère',
        message: `Une place s'est libérée : ${what}. Vous pouvez l'accepter sur le portail jusqu'au ${notice.expiresAt ? formatInstantFr(notice.expiresAt) : '?'} ; passé ce délai, elle sera proposée à la famille suivante.`,
      };
    case 'offer-expired':
      return {
        title: 'Place non confirmée',
        message: `La place proposée (${what}) n'a pas été confirmée à temps : elle a été proposée à la famille suivante.`,
      };
    case 'accepted-by-staff':
      return { title: 'Réservation acceptée', message: `Votre réservation ${what} a été acceptée.` };
    case 'refused-by-staff':
      return {
        title: 'Réservation refusée',
        message: `Votre réservation ${what} a été refusée. Motif : ${notice.reason ?? 'non précisé'}.`,
      };
    case 'day-closed':
      return {
        title: 'Fermeture',
        message: `L'activité ${what} est fermée (${notice.reason ?? 'fermeture'}) : la réservation est annulée et ne sera pas facturée.`,
      };
    default: {
      const never: never = notice.kind;
      return never;
    }
  }
}

/** Which allocation endings free the family's day (a cancellation already did, on the family's side). */
export function endingOf(type: string, reason: string | undefined): ReservationEnded['data']['reason'] | null {
  switch (type) {
    case 'RequestRefusedByStaff':
      return 'refused-by-staff';
    case 'RequestRejected':
      return 'rejected';
    case 'PlaceReleased':
    case 'RemovedFromWaitingList':
      return reason === 'closure' || reason === 'offer-expired' || reason === 'offer-declined' || reason === 'refused-by-staff'
        ? reason
        : null;
    default:
      return null;
  }
}
