/**
 * The better-sqlite3 build this Node.js can run.
 *
 * - better-sqlite3 12 is the last major that runs on Node 20 (13 requires Node 22 and its addon crashes
 *   on 20). It is compiled from source on install against the running Node's headers.
 * - On Node 24 (from 24.19, where `node::ObjectWrap` registers an environment cleanup hook), 12's
 *   `Statement` destructor calls `RemoveEnvironmentCleanupHook` from a garbage collection that runs
 *   outside any V8 context, and Node aborts the process (`Assertion failed: (env) != nullptr`): at exit,
 *   or at any idle GC after a query. 13 is built on node-addon-api, ships N-API prebuilds and has no
 *   such destructor.
 *
 * Both are installed (13 under the npm alias `better-sqlite3-13`); this module picks one by the Node
 * major that runs us, and every adapter opens its databases through it. Their JavaScript API is the
 * same for everything we use (the SQLite contract suites run on both in CI).
 */
import type BetterSqlite3 from 'better-sqlite3';

const nodeMajor = Number(process.versions.node.split('.')[0]);

/** the package actually loaded, for logs and `npm run bench` */
export const SQLITE_DRIVER_PACKAGE = nodeMajor >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time by the Node version
const Database = require(SQLITE_DRIVER_PACKAGE) as typeof BetterSqlite3;

// The types are better-sqlite3's own (@types/better-sqlite3), the same for both majors.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace Database {
  export type Database = BetterSqlite3.Database;
}

export default Database;
