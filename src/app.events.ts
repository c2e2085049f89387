import type { EventTypeDefinition } from './platform/domain/decider';
import { familyEventTypes } from './modules/families/families.events';

/** Every event type the application writes, registered once with the serializer. */
export const ALL_EVENT_TYPES: EventTypeDefinition[] = [...familyEventTypes];
