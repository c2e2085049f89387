/** The families context's public face: what other contexts may use. */
export { familyCommands } from './families.commands';
export type { FamilyEvent } from './families.events';
export { familyEvents, familyIdFromStream, familyStream } from './families.events';
export { FamiliesModule } from './families.module';
export type { FamilyRecord } from './families.types';
