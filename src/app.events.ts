import { auditEvents } from './modules/audit/audit.events';
import { billingEventDefinitions } from './modules/billing';
import { documentEvents } from './modules/documents/documents.events';
import { familyEvents } from './modules/families';
import { identityEvents } from './modules/identity';
import { messagingEvents } from './modules/messaging';
import { planningEventDefinitions } from './modules/planning/planning.events';
import type { EventTypeDefinition } from './platform/domain/decider';

/** Every event type the application writes, registered once with the serializer. */
export const ALL_EVENT_TYPES: EventTypeDefinition[] = [
  ...familyEvents.definitions,
  ...identityEvents.definitions,
  ...auditEvents.definitions,
  ...planningEventDefinitions,
  ...messagingEvents.definitions,
  ...documentEvents.definitions,
  ...billingEventDefinitions,
];
