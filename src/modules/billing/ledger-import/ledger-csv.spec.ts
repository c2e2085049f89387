import { LEDGER_HEADER, parseEuros, parseLedgerCsv } from './ledger-csv';

const header = LEDGER_HEADER.join(';');
const tutorial = [
  header,
  'facture;1001001818331;regie-garderie-alsh;AL-12;2015-04-08;2015-02-01;2015-03-31;2015-04-30;243,20;;',
  'reglement;1001001818331;regie-garderie-alsh;AL-228;2015-04-08;;;;243.20;cheque;AL-12',
  'facture;1001001818331;regie-garderie-alsh;AL-36;2015-04-08;2015-04-01;2015-04-30;2015-04-30;120,60;;',
].join('\n');

describe('ledger CSV (history from the previous software)', () => {
  it('reads the tutorial history: invoices and payments with their numbers kept', () => {
    const { rows, errors } = parseLedgerCsv(tutorial);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.type, 'number' in r ? r.number : '', r.cents])).toEqual([
      [2, 'invoice', 'AL-12', 24320],
      [3, 'payment', 'AL-228', 24320],
      [4, 'invoice', 'AL-36', 12060],
    ]);
  });

  it('reports every bad row with its line number', () => {
    const bad = [
      header,
      'facture;1001001818331;regie-garderie-alsh;AL-12;2015-02-30;2015-02-01;2015-03-31;2015-04-30;243,20;;',
      'reglement;1001001818331;regie-garderie-alsh;AL-228;2015-04-08;;;;-5;bitcoin;',
      'facture;1001001818331;regie-garderie-alsh;AL-36;2015-04-08;2015-04-01;2015-04-30;2015-04-30;12,345;;',
      'avoir;1001001818331;regie-garderie-alsh;AV-1;2015-04-08;;;;1;;',
      'facture;1001001818331;regie-garderie-alsh;AL-12;2015-04-08;2015-02-01;2015-03-31;2015-04-30;1;;',
      'trop;peu',
    ].join('\r\n');
    const { errors } = parseLedgerCsv(bad);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(errors[0].message).toContain('date invalide');
    expect(errors[1].message).toContain('moyen de paiement inconnu');
    expect(errors[4].message).toContain('doublon de la ligne 2');
  });

  it('refuses a file without the header', () => {
    expect(parseLedgerCsv('a;b\n').errors).toEqual([{ line: 1, message: expect.stringContaining('En-tête attendu') }]);
  });

  it('parses euros with a comma or a dot, 2 decimals at most', () => {
    expect([parseEuros('243,20'), parseEuros('243.2'), parseEuros('-12,50'), parseEuros('1,234'), parseEuros('abc')]).toEqual([
      24320,
      24320,
      -1250,
      null,
      null,
    ]);
  });
});
