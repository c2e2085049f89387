/**
 * The process's exit codes (sysexits.h), documented in README's "Operations" section. A supervisor can
 * tell from the code whether restarting may help (75) or an operator must act (65, 73, 74, 78).
 */
export const EXIT = {
  OK: 0,
  /** unexpected error (a bug): the log has the stack trace */
  UNEXPECTED: 1,
  /** EX_USAGE: wrong command-line arguments (CLI) */
  USAGE: 64,
  /** EX_DATAERR: a data file is corrupt, not a database, or inconsistent with the others; a restore failed its checks */
  DATA: 65,
  /** EX_SOFTWARE: SIGTERM's shutdown did not finish within SHUTDOWN_TIMEOUT_MS; work was cut (see the log line) */
  SHUTDOWN_TIMEOUT: 70,
  /** EX_CANTCREAT: the data folder or one of its files cannot be created or written (read-only, permissions) */
  CANT_WRITE: 73,
  /** EX_IOERR: a data file cannot be opened or read (I/O error) */
  IO: 74,
  /** EX_TEMPFAIL: another process owns the data folder (or the server-mode lease); try again once it has stopped */
  LOCKED: 75,
  /** EX_CONFIG: invalid configuration */
  CONFIG: 78,
} as const;

/**
 * A reason not to start that an operator can act on: `message` is the one line printed (no stack trace),
 * naming the file and DATA_DIR and what to do; `exitCode` one of EXIT.
 */
export class StartupError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
