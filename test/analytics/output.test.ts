import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toArrow, toCsv } from '../../analytics/output';

describe('toCsv', () => {
  it('neutralizes cells a spreadsheet would run as formulas, but not negative numbers', () => {
    const rows = [
      { deal: '=HYPERLINK("http://x","click")', owner: '+SUM(A1)', note: '@import', amount: -300, text: '-2+3', ok: 'Acme, "the" best' }
    ];
    expect(toCsv(rows)).toBe(
      'deal,owner,note,amount,text,ok\r\n' + `"'=HYPERLINK(""http://x"",""click"")",'+SUM(A1),'@import,-300,'-2+3,"Acme, ""the"" best"\r\n`
    );
  });

  it('writes nulls as empty cells and lists joined by "; "', () => {
    expect(toCsv([{ a: null, b: ['stalled', 'pushed'], c: 0.5 }])).toBe('a,b,c\r\n,stalled; pushed,0.5\r\n');
  });

  it('writes only the header row names it is given when there are no rows', () => {
    expect(toCsv([], ['a', 'b'])).toBe('a,b\r\n');
  });
});

describe('toArrow', () => {
  it('keeps numbers, nulls and strings', () => {
    const table = tableFromIPC(toArrow([{ n: 1.5, s: 'x', b: true }, { n: null, s: null, b: false }]));
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ n: 1.5, s: 'x', b: true }, { n: null, s: null, b: false }]);
  });
});
