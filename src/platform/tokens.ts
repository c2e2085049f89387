/** Injection tokens of the platform's ports (the adapters behind them are chosen from the configuration). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const DOCUMENT_STORE = Symbol('DOCUMENT_STORE');
export const JOB_SCHEDULER = Symbol('JOB_SCHEDULER');
/** The Clock port (src/platform/clock/clock.ts): every "now" of the application. */
export const CLOCK = Symbol('CLOCK');
/** The embedded runtime's data folder as the start-up checks found it (data-folder.ts). */
export const DATA_FOLDER = Symbol('DATA_FOLDER');
/** The FamilyDirectory the access policy reads (provided by the families context). */
export const FAMILY_DIRECTORY = Symbol('FAMILY_DIRECTORY');
/** The process's root pino logger (observability/root-logger.ts). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
