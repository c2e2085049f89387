/** The audit context's public face: what other contexts may use. */
export type { SensitiveData } from './audit.events';
export { SensitiveReadLog } from './sensitive-read-log';
