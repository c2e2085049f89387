import type { ReadModels } from '../../src/platform/projections/read-models';
import { type OpenOfferDocument, openOffersProjection } from './open-offers.projection';

/** Every offer not answered yet, by expiry (a page at a time). */
export async function openOffers(readModels: ReadModels): Promise<OpenOfferDocument[]> {
  const offers: OpenOfferDocument[] = [];
  let cursor: string | undefined;
  do {
    const page = await readModels.find<OpenOfferDocument>(openOffersProjection.name, {
      sort: [{ field: 'expiresAt', direction: 'asc' }],
      limit: 1000,
      cursor,
    });
    offers.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return offers;
}
