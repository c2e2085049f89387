import { definitionsOf } from '../../platform/domain/event-table';
import { accountEvents } from './account/account.events';
import { invoicingEvents } from './invoicing/invoicing-run.events';
import { numberingEvents } from './invoicing/numbering';
import { regieEvents } from './regies/regie.events';

/** Every event type of the billing context. */
export const billingEventDefinitions = definitionsOf(regieEvents, accountEvents, invoicingEvents, numberingEvents);
