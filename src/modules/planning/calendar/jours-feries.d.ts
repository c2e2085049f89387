/**
 * Types for @socialgouv/jours-feries 2.x, which ships none. `module.exports = getJoursFeries`: the
 * holidays of a year as { name: Date }. Each Date is built with `new Date(year, month, day)`, i.e. at
 * midnight in the process's time zone (not UTC); public-holidays.ts reads it accordingly.
 */
declare module '@socialgouv/jours-feries' {
  function getJoursFeries(year: number, options?: { alsace?: boolean }): Record<string, Date>;
  export = getJoursFeries;
}
