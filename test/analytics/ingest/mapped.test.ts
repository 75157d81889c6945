/**
 * Files no CRM recognises, read through a column mapping: given to the ingest, or found
 * among the saved mappings (data/mappings) by their headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RejectedFileError } from '../../../analytics/errors';
import { ingest } from '../../../analytics/ingest/ingest';
import { parseMapping } from '../../../analytics/ingest/adapters/mapped/mapping';
import { savedMappings } from '../../../analytics/ingest/adapters/mapped/saved';
import { computeMetric } from '../../../analytics/metrics';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { FIXTURES, SHARED_DATA, dumpTables, memoryDb } from '../../helpers';

const file = (path: string) => ({ name: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)) });
const EURO = parseMapping(readFileSync(join(FIXTURES, 'mapped', 'euro-deals.json'), 'utf8'));
const MAVEN = join(SHARED_DATA, 'maven-crm-sales-opportunities', 'sales_pipeline.csv');

describe('mapped files', () => {
  it('reads a CSV through the mapping given, into the same metrics as any export', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingest(db, [file(join(FIXTURES, 'mapped', 'euro-deals.csv'))], { format: 'mapped', mapping: EURO, settings: DEFAULT_SETTINGS, asOf: '2025-03-31' });
    expect([snapshot.crm, snapshot.export_kind, snapshot.counts.deals]).toEqual(['mapped', 'mapped', 5]);
    // closed: E2 won 10,000 (Anna); E3 lost 500.50, E4 lost ("Abandoned") 2,000, E5 won 750 (Ben)
    const rates = (await computeMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner' })).rows;
    expect(rates.map((r) => [r.owner, r.win_rate_count, r.win_rate_amount])).toEqual([
      ['Anna', 1, 1],
      ['Ben', 1 / 3, 750 / 3250.5]
    ]);
    db.close();
  });

  it('reads a mapping without a stage list, and one whose stage list flags no won stage', async () => {
    const db = await memoryDb();
    const csv = file(join(FIXTURES, 'mapped', 'euro-deals.csv'));
    const noStages = { ...EURO, deals: { ...EURO.deals!, stages: [] } };
    const { snapshot } = await ingest(db, [csv], { format: 'mapped', mapping: noStages, settings: DEFAULT_SETTINGS, asOf: '2025-03-31' });
    expect([snapshot.counts.deals, snapshot.counts.open_deals]).toEqual([5, 1]); // E1; E4 is lost by the rule on its stage
    const closedOnly = { ...EURO, name: 'closed-only', deals: { ...EURO.deals!, outcome: {}, stages: [{ stage: 'Closed', closed: true }] } };
    // another mapping is another source: loaded beside the first only when forced
    const second = await ingest(db, [csv], { format: 'mapped', mapping: closedOnly, settings: DEFAULT_SETTINGS, asOf: '2025-03-31', force: true });
    expect([second.snapshot.counts.deals, second.snapshot.counts.open_deals]).toEqual([5, 2]); // E1, E4 open; E2, E3, E5 closed (lost)
    db.close();
  });

  it('finds the saved Maven mapping by its headers, and gives win rates per agent as counted from the file', async () => {
    const db = await memoryDb();
    const { snapshot } = await ingest(db, [file(MAVEN)], { settings: DEFAULT_SETTINGS, savedMappings: savedMappings('data/mappings'), asOf: '2017-12-31' });
    expect([snapshot.crm, snapshot.counts.deals]).toEqual(['mapped', 8800]);
    // Independent figure: the file has no quotes, so each line splits on commas; column 2 is sales_agent, column 5 deal_stage
    const expected = new Map<string, { won: number; lost: number }>();
    for (const line of readFileSync(MAVEN, 'utf8').split('\n').slice(1).filter(Boolean)) {
      const cells = line.trim().split(',');
      const agent = expected.get(cells[1]) ?? { won: 0, lost: 0 };
      if (cells[4] === 'Won') agent.won++;
      if (cells[4] === 'Lost') agent.lost++;
      expected.set(cells[1], agent);
    }
    // the funnel holds every deal of the file in its first row (lost deals with no open stage recorded count there),
    // and Won is the file's Won count of them (4,238 of 8,800)
    const lines = readFileSync(MAVEN, 'utf8').split('\n').slice(1).filter(Boolean);
    const wonInFile = lines.filter((l) => l.trim().split(',')[4] === 'Won').length;
    const funnel = (await computeMetric(db, DEFAULT_SETTINGS, 'funnel', {})).rows;
    expect(funnel[0]).toMatchObject({ reached: lines.length, cumulative_conversion: 1 });
    expect(funnel.at(-1)).toMatchObject({ stage: 'Won', reached: wonInFile, cumulative_conversion: wonInFile / lines.length });
    expect([lines.length, wonInFile]).toEqual([8800, 4238]);
    const rates = (await computeMetric(db, DEFAULT_SETTINGS, 'win-rates', { by: 'owner' })).rows;
    expect(rates).toHaveLength(expected.size);
    for (const r of rates) {
      const e = expected.get(r.owner as string)!;
      expect(r.win_rate_count, r.owner as string).toBeCloseTo(e.won / (e.won + e.lost), 12);
    }
    // the same file read the same way under another name is the same snapshot; read another way, another one
    const saved = parseMapping(readFileSync('data/mappings/maven-crm-sales-opportunities.json', 'utf8'));
    const read = (mapping: typeof saved) => ingest(db, [file(MAVEN)], { format: 'mapped', mapping, settings: DEFAULT_SETTINGS, asOf: '2017-12-31' });
    expect((await read({ ...saved, name: 'renamed' })).created).toBe(false);
    expect((await read({ ...saved, formats: { ...saved.formats, currency: 'USD' } })).created).toBe(true);
    db.close();
  });

  it('rejects values the mapping cannot read, with line and column, and writes nothing', async () => {
    const db = await memoryDb();
    const before = await dumpTables(db);
    const error = await ingest(db, [file(join(FIXTURES, 'mapped', 'bad-values.csv'))], { format: 'mapped', mapping: EURO, settings: DEFAULT_SETTINGS }).catch((e) => e);
    expect(error).toBeInstanceOf(RejectedFileError);
    expect((error as RejectedFileError).problems.slice(0, 2)).toMatchObject([
      { file: 'bad-values.csv', line: 3, column: 'Value' },
      { file: 'bad-values.csv', line: 4, column: 'Close' }
    ]);
    expect(await dumpTables(db)).toBe(before);
    db.close();
  });

  it('names a column without a name instead of failing', async () => {
    const db = await memoryDb();
    const bytes = new TextEncoder().encode('Deal ID,Deal name,Stage,Result,,Value\nE1,Alpha,Negotiation,,x,"1,00"\n');
    const error = await ingest(db, [{ name: 'blank.csv', bytes }], { format: 'mapped', mapping: EURO, settings: DEFAULT_SETTINGS }).catch((e) => e);
    expect(error).toBeInstanceOf(RejectedFileError);
    expect((error as RejectedFileError).problems).toEqual([{ file: 'blank.csv', line: 1, column: 'column 5', reason: 'the column has no name: name it, or remove it' }]);
    db.close();
  });
});
