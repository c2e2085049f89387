/**
 * A régie and its tariffs: staff define the régie (name, prefix, communes, payment means, due-date rule)
 * and the tariffs of the activities it bills. Overlapping tariffs for the same case (activity, usage,
 * category, period kind) are refused with a message naming the overlap. Pure.
 */
import { type CommandMeta, STAFF_ROLES } from '../../../platform/domain/command-target';
import type { Decider } from '../../../platform/domain/decider';
import { DomainError } from '../../../platform/domain/domain-error';
import {
  ANY,
  FAMILY_CATEGORIES,
  frenchDate,
  MAX_UNIT_CENTS,
  PAYMENT_MEANS,
  PERIOD_KINDS,
  type Regie,
  type Tariff,
  TARIFF_USAGES,
} from '../billing.types';
import type { RegieEvent } from './regie.events';

export type RegieSettings = Omit<Regie, 'regieId'>;
export type DefineRegie = CommandMeta & { type: 'DefineRegie'; regieId: string; settings: RegieSettings };
export type ChangeRegie = CommandMeta & { type: 'ChangeRegie'; regieId: string; settings: RegieSettings };
export type DefineTariff = CommandMeta & { type: 'DefineTariff'; regieId: string; tariff: Tariff };
export type EndTariff = CommandMeta & { type: 'EndTariff'; regieId: string; tariffId: string; validTo: string };
export type RegieCommand = DefineRegie | ChangeRegie | DefineTariff | EndTariff;

export type RegieState = { regie: Regie | null; tariffs: Record<string, Tariff> };

const MAX_DUE_DAYS = 90;
const MAX_BANDS = 20;
const MAX_QF = 100_000;

function invalid(code: string, message: string, field?: string): DomainError {
  return new DomainError(code, message, 'invalid', field ? { field } : undefined);
}

const isDate = (v: unknown): v is string => {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const [y, m, d] = v.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const price = (cents: unknown, field: string) => {
  if (typeof cents !== 'number' || !Number.isInteger(cents) || cents < 0 || cents > MAX_UNIT_CENTS) {
    throw invalid('INVALID_PRICE', `Prix invalide (${field}) : un nombre entier de centimes entre 0 et ${MAX_UNIT_CENTS}.`, field);
  }
};

export function checkRegieSettings(settings: RegieSettings): void {
  if (!settings.name.trim()) throw invalid('INVALID_NAME', 'Le nom de la régie est obligatoire.', 'name');
  if (!/^[A-Z0-9]{1,6}$/.test(settings.prefix)) {
    throw invalid('INVALID_PREFIX', 'Préfixe de numérotation invalide : 1 à 6 lettres majuscules ou chiffres (ex. « AL »).', 'prefix');
  }
  if (settings.communes.length === 0) throw invalid('INVALID_COMMUNES', 'Indiquez au moins une commune.', 'communes');
  if (settings.paymentMeans.length === 0 || settings.paymentMeans.some((m) => !PAYMENT_MEANS.includes(m))) {
    throw invalid('INVALID_PAYMENT_MEANS', `Moyens de paiement : parmi ${PAYMENT_MEANS.join(', ')}.`, 'paymentMeans');
  }
  if (!Number.isInteger(settings.dueAfterDays) || settings.dueAfterDays < 0 || settings.dueAfterDays > MAX_DUE_DAYS) {
    throw invalid('INVALID_DUE_RULE', `Échéance : de 0 à ${MAX_DUE_DAYS} jours après l'émission.`, 'dueAfterDays');
  }
}

/** Checks a tariff alone: dates, prices, bands from QF 0 (else some QF has no price), clamps, reductions. */
export function checkTariff(tariff: Tariff): void {
  if (!tariff.label.trim()) throw invalid('INVALID_TARIFF', 'Le libellé du tarif est obligatoire.', 'label');
  if (!TARIFF_USAGES.includes(tariff.usage)) throw invalid('INVALID_TARIFF', 'Usage du tarif inconnu.', 'usage');
  if (!isDate(tariff.validFrom) || (tariff.validTo !== null && !isDate(tariff.validTo))) {
    throw invalid('INVALID_DATE', 'Dates de validité invalides.', 'validFrom');
  }
  if (tariff.validTo !== null && tariff.validTo < tariff.validFrom) {
    throw invalid('INVALID_DATE', 'La fin de validité précède son début.', 'validTo');
  }
  if (tariff.category !== ANY && !FAMILY_CATEGORIES.includes(tariff.category))
    throw invalid('INVALID_TARIFF', 'Catégorie inconnue.', 'category');
  if (tariff.periodKind !== ANY && !PERIOD_KINDS.includes(tariff.periodKind))
    throw invalid('INVALID_TARIFF', 'Période inconnue.', 'periodKind');
  const mode = tariff.mode;
  switch (mode.kind) {
    case 'fixed':
    case 'package':
      price(mode.cents, 'mode.cents');
      break;
    case 'qf-bands': {
      if (mode.bands.length === 0 || mode.bands.length > MAX_BANDS) {
        throw invalid('INVALID_QF_BANDS', `De 1 à ${MAX_BANDS} tranches de QF.`, 'mode.bands');
      }
      const sorted = [...mode.bands].sort((a, b) => a.minQf - b.minQf);
      if (sorted[0].minQf !== 0) {
        throw invalid(
          'TARIFF_QF_GAP',
          `Aucun prix pour un QF de 0 à ${sorted[0].minQf - 1} : la première tranche doit commencer à 0.`,
          'mode.bands',
        );
      }
      sorted.forEach((band, i) => {
        if (!Number.isInteger(band.minQf) || band.minQf < 0 || band.minQf > MAX_QF) {
          throw invalid('INVALID_QF_BANDS', `QF de tranche invalide : ${band.minQf}.`, 'mode.bands');
        }
        if (i > 0 && band.minQf === sorted[i - 1].minQf) {
          throw invalid('INVALID_QF_BANDS', `Deux tranches commencent au QF ${band.minQf}.`, 'mode.bands');
        }
        price(band.cents, 'mode.bands');
      });
      break;
    }
    case 'effort-rate':
      if (!Number.isInteger(mode.rateBasisPoints) || mode.rateBasisPoints <= 0 || mode.rateBasisPoints > 10_000) {
        throw invalid('INVALID_EFFORT_RATE', "Taux d'effort invalide (en centièmes de pour cent, 0,36 % → 36).", 'mode.rateBasisPoints');
      }
      price(mode.minCents, 'mode.minCents');
      price(mode.maxCents, 'mode.maxCents');
      if (mode.minCents > mode.maxCents) throw invalid('INVALID_EFFORT_RATE', 'Le minimum dépasse le maximum.', 'mode.minCents');
      break;
    default:
      throw invalid('INVALID_TARIFF', 'Mode de tarif inconnu.', 'mode.kind');
  }
  for (const r of tariff.siblingReductions) {
    if (
      !Number.isInteger(r.fromRank) ||
      r.fromRank < 2 ||
      r.fromRank > 20 ||
      typeof r.percent !== 'number' ||
      r.percent < 0 ||
      r.percent > 100
    ) {
      throw invalid('INVALID_SIBLING_REDUCTION', 'Réduction fratrie : à partir du 2e enfant, de 0 à 100 %.', 'siblingReductions');
    }
  }
}

const overlaps = (a: Tariff, b: Tariff) =>
  a.activityId === b.activityId &&
  a.usage === b.usage &&
  a.category === b.category &&
  a.periodKind === b.periodKind &&
  (a.validTo === null || b.validFrom <= a.validTo) &&
  (b.validTo === null || a.validFrom <= b.validTo);

const period = (t: Tariff) => `du ${frenchDate(t.validFrom)}${t.validTo ? ` au ${frenchDate(t.validTo)}` : ' sans fin'}`;

function requireRegie(state: RegieState): Regie {
  if (!state.regie) throw new DomainError('REGIE_NOT_FOUND', 'Régie introuvable.', 'not_found');
  return state.regie;
}

export const regieDecider: Decider<RegieCommand, RegieEvent, RegieState> = {
  initialState: () => ({ regie: null, tariffs: {} }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'RegieDefined':
      case 'RegieChanged':
        return { ...state, regie: event.data.regie };
      case 'TariffDefined':
        return { ...state, tariffs: { ...state.tariffs, [event.data.tariff.tariffId]: event.data.tariff } };
      case 'TariffEnded': {
        const tariff = state.tariffs[event.data.tariffId];
        return tariff ? { ...state, tariffs: { ...state.tariffs, [tariff.tariffId]: { ...tariff, validTo: event.data.validTo } } } : state;
      }
    }
  },
  decide(command, state) {
    if (!STAFF_ROLES.includes(command.actor.role)) {
      throw new DomainError('FORBIDDEN_ROLE', 'Seuls les agents gèrent les régies et les tarifs.', 'forbidden');
    }
    const by = command.actor.userId;
    switch (command.type) {
      case 'DefineRegie': {
        checkRegieSettings(command.settings);
        const regie: Regie = {
          ...command.settings,
          regieId: command.regieId,
          communes: command.settings.communes.map((c) => c.toUpperCase()),
        };
        if (state.regie) {
          if (JSON.stringify(state.regie) === JSON.stringify(regie)) return [];
          throw new DomainError('REGIE_EXISTS', `La régie « ${state.regie.name} » existe déjà.`, 'conflict');
        }
        return [{ type: 'RegieDefined', data: { regie, definedAt: command.at, definedBy: by } }];
      }
      case 'ChangeRegie': {
        const current = requireRegie(state);
        checkRegieSettings(command.settings);
        const regie: Regie = {
          ...command.settings,
          regieId: current.regieId,
          communes: command.settings.communes.map((c) => c.toUpperCase()),
        };
        if (JSON.stringify(current) === JSON.stringify(regie)) return [];
        return [{ type: 'RegieChanged', data: { regie, changedAt: command.at, changedBy: by } }];
      }
      case 'DefineTariff': {
        requireRegie(state);
        const tariff = command.tariff;
        checkTariff(tariff);
        const known = state.tariffs[tariff.tariffId];
        if (known) {
          if (JSON.stringify(known) === JSON.stringify(tariff)) return [];
          throw new DomainError(
            'TARIFF_EXISTS',
            `Le tarif « ${tariff.tariffId} » existe déjà : un tarif ne se modifie pas, créez-en un nouveau.`,
            'conflict',
          );
        }
        const clash = Object.values(state.tariffs).find((t) => overlaps(t, tariff));
        if (clash) {
          throw new DomainError(
            'TARIFF_OVERLAP',
            `Ce tarif (${period(tariff)}) chevauche le tarif « ${clash.label} » (${clash.tariffId}, ${period(clash)}) pour le même cas : terminez-le d'abord.`,
            'conflict',
            { tariffId: clash.tariffId },
          );
        }
        return [{ type: 'TariffDefined', data: { regieId: command.regieId, tariff, definedAt: command.at, definedBy: by } }];
      }
      case 'EndTariff': {
        requireRegie(state);
        const tariff = state.tariffs[command.tariffId];
        if (!tariff) throw new DomainError('TARIFF_NOT_FOUND', 'Tarif introuvable.', 'not_found');
        if (!isDate(command.validTo) || command.validTo < tariff.validFrom) {
          throw invalid('INVALID_DATE', 'La fin de validité doit être une date au plus tôt le début du tarif.', 'validTo');
        }
        if (tariff.validTo === command.validTo) return [];
        return [
          {
            type: 'TariffEnded',
            data: { regieId: command.regieId, tariffId: tariff.tariffId, validTo: command.validTo, endedAt: command.at, endedBy: by },
          },
        ];
      }
    }
  },
};
