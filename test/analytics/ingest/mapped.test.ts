/**
 * Files no CRM recognises, read through a column mapping: given to the ingest, or found
 * among the saved mappings (data/mappings) by their headers.
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
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

  it('names a column without a name that holds values instead of failing', async () => {
    const db = await memoryDb();
    const bytes = new TextEncoder().encode('Deal ID,Deal name,Stage,Result,,Value\nE1,Alpha,Negotiation,,,"1,00"\nE2,Beta,Negotiation,,x,"1,00"\n');
    const error = await ingest(db, [{ name: 'blank.csv', bytes }], { format: 'mapped', mapping: EURO, settings: DEFAULT_SETTINGS }).catch((e) => e);
    expect(error).toBeInstanceOf(RejectedFileError);
    expect((error as RejectedFileError).problems).toEqual([{ file: 'blank.csv', line: 3, column: 'column 5', reason: 'the column has no name but holds values: name it, or remove it' }]);
    db.close();
  });

  it('leaves out empty columns without a name: a header ending with a comma, rows with or without the last comma', async () => {
    const db = await memoryDb();
    const [header, ...rows] = readFileSync(join(FIXTURES, 'mapped', 'euro-deals.csv'), 'utf8').trim().split('\n');
    // a spreadsheet's export: every line ends with a comma (and one empty unnamed column in the middle, "  " as its name)
    const spreadsheet = [`${header.replace('Value,', 'Value,  ,')},`, ...rows.map((r, i) => `${r.replace(/("[^"]*"|€[^,]*|\d+),(\d\d\/)/, '$1,,$2')}${i === 2 ? '' : ','}`)].join('\r\n');
    expect(spreadsheet.split('\r\n').slice(0, 3)).toEqual([
      'Deal ID,Deal name,Stage,Result,Value,  ,Close,Created,Owner,',
      'E1,Alpha,Negotiation,,"1.234,50",,31/01/2025,15/11/2024,Anna,',
      'E2,Beta,Closed,Won,"10.000,00",,13/02/2025,02/12/2024,Anna,'
    ]);
    const { snapshot } = await ingest(db, [{ name: 'sheet.csv', bytes: new TextEncoder().encode(spreadsheet) }], { format: 'mapped', mapping: EURO, settings: DEFAULT_SETTINGS, asOf: '2025-03-31' });
    expect([snapshot.counts.deals, snapshot.counts.open_deals]).toEqual([5, 1]);
    const amounts = (await computeMetric(db, DEFAULT_SETTINGS, 'deals', {})).rows.map((r) => [r.deal_id, r.amount, r.owner]);
    expect(amounts.sort()).toEqual([['E1', 1234.5, 'Anna'], ['E2', 10000, 'Anna'], ['E3', 500.5, 'Ben'], ['E4', 2000, 'Ben'], ['E5', 750, 'Ben']]);
    db.close();
  });

  it('dates a file without modified dates by its latest close or created date up to today: Maven sales_pipeline.csv', async () => {
    const db = await memoryDb();
    // Independent figures, by splitting the lines on commas (the file has no quotes): column 5 deal_stage, 6 engage_date,
    // 7 close_date, 8 close_value; ISO dates sort as text
    const lines = readFileSync(MAVEN, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(','));
    const latest = lines.flatMap((c) => [c[5], c[6]]).filter(Boolean).sort().at(-1);
    expect(latest).toBe('2017-12-31');
    const wonIn = (from: string, to: string) => lines.filter((c) => c[4] === 'Won' && c[6] >= from && c[6] <= to);
    const closedIn = (from: string, to: string) => lines.filter((c) => ['Won', 'Lost'].includes(c[4]) && c[6] >= from && c[6] <= to);
    const q4 = wonIn('2017-10-01', '2017-12-31');
    const trailing = [wonIn('2016-10-01', '2017-09-30').length, closedIn('2016-10-01', '2017-09-30').length];
    // awk over the same columns: 1,196 deals won in Q4 2017 for 2,802,496; 3,042 won of 4,726 closed in the four quarters before
    expect([q4.length, trailing]).toEqual([1196, [3042, 4726]]);

    const { snapshot } = await ingest(db, [file(MAVEN)], { settings: DEFAULT_SETTINGS, savedMappings: savedMappings('data/mappings'), now: new Date('2026-05-04T10:00:00Z') });
    expect([snapshot.as_of, snapshot.as_of_source]).toEqual(['2017-12-31T00:00:00Z', 'close_date']);
    // the overview of that day: Q4 2017's closed won, and the win rate of the four quarters before it
    const [overview] = (await computeMetric(db, DEFAULT_SETTINGS, 'overview', {})).rows;
    expect(overview).toMatchObject({
      quarter: 'FY2017Q4',
      closed_won_count: 1196,
      closed_won_amount: q4.reduce((sum, c) => sum + Number(c[7]), 0),
      open_count: 2089,
      win_rate_count: 3042 / 4726
    });
    // an explicit as_of wins
    const given = await ingest(db, [file(MAVEN)], { settings: DEFAULT_SETTINGS, savedMappings: savedMappings('data/mappings'), asOf: '2017-11-15' });
    expect([given.snapshot.as_of, given.snapshot.as_of_source]).toEqual(['2017-11-15T00:00:00Z', 'explicit']);
    db.close();
  });

  it('loads the leads of a mapping with leads only, found among the saved mappings by their headers', async () => {
    const db = await memoryDb();
    const leadsOnly = { name: 'crm-leads', mapping: parseMapping({ formats: { date: ['%d/%m/%Y', '%d/%m/%Y %H:%M'] }, leads: EURO.leads }) };
    const { snapshot } = await ingest(db, [file(join(FIXTURES, 'mapped', 'leads.csv'))], { settings: DEFAULT_SETTINGS, savedMappings: [{ name: 'euro', mapping: EURO }, leadsOnly] });
    expect([snapshot.crm, snapshot.counts.deals, snapshot.counts.leads, snapshot.counts.stages]).toEqual(['mapped', 0, 3, 0]);
    // L1 converted 20/01/2025, the latest date of the file
    expect([snapshot.as_of, snapshot.as_of_source]).toEqual(['2025-01-20T00:00:00Z', 'Converted on']);
    // Qualified (L1, converted on 20/01), New (L2), Converted (L3, converted by its status)
    const funnel = (await computeMetric(db, DEFAULT_SETTINGS, 'lead-funnel', {})).rows.filter((r) => (r.leads as number) > 0);
    expect(funnel.map((r) => [r.status, r.leads, r.converted, r.conversion_rate])).toEqual([
      ['Converted', 1, 1, null],
      ['New', 1, 0, null],
      ['Qualified', 1, 1, null],
      ['(all leads)', 3, 2, 2 / 3]
    ]);
    expect((await computeMetric(db, DEFAULT_SETTINGS, 'deals', {})).rows).toEqual([]);
    expect((await computeMetric(db, DEFAULT_SETTINGS, 'open-pipeline', {})).rows).toEqual([]);
    db.close();
  });

  it('rejects an upload through a mapping that none of its files fits, naming the headers it looks for', async () => {
    const db = await memoryDb();
    const error = await ingest(db, [file(join(FIXTURES, 'mapped', 'leads.csv'))], { format: 'mapped', mapping: { ...EURO, leads: null }, settings: DEFAULT_SETTINGS }).catch((e) => e);
    expect(error).toBeInstanceOf(RejectedFileError);
    expect((error as RejectedFileError).problems.map((p) => [p.file, p.reason])).toEqual([
      ['(upload)', 'no file has the deals headers of the mapping "Euro deals: decimal comma, day/month/year, outcome in its own column": Deal ID, Stage, Result']
    ]);
    db.close();
  });
});

describe('files that are no CSV, ZIP or spreadsheet', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  const REPORT = join(SHARED_DATA, 'salesforce-report-export');

  it('are listed as not read beside the exports: a LICENSE and an image beside report CSVs, loose or in a ZIP', async () => {
    const db = await memoryDb();
    const csvs = ['Opportunity.csv', 'OpportunityHistory.csv', 'Lead.csv'].map((n) => file(join(REPORT, n)));
    const license = file(join(REPORT, 'LICENSE'));
    expect(new TextDecoder().decode(license.bytes)).toMatch(/^MIT License/);
    const { snapshot } = await ingest(db, [license, ...csvs, { name: 'logo.png', bytes: PNG }], { settings: DEFAULT_SETTINGS });
    expect([snapshot.crm, snapshot.export_kind, snapshot.counts.deals, snapshot.ignored_files]).toEqual(['salesforce', 'report', 36, ['LICENSE', 'logo.png']]);
    const zip = zipSync(Object.fromEntries([license, ...csvs].map((f) => [`export/${f.name}`, f.bytes]).concat([['export/img/logo.png', PNG]])));
    const zipped = await ingest(db, [{ name: 'export.zip', bytes: zip }], { settings: DEFAULT_SETTINGS, asOf: '2026-03-01' });
    expect([zipped.snapshot.counts.deals, zipped.snapshot.ignored_files]).toEqual([36, ['LICENSE', 'logo.png']]);
    db.close();
  });

  it('are refused when nothing else is uploaded, and when a binary file is named as a CSV', async () => {
    const db = await memoryDb();
    for (const upload of [[{ name: 'logo.png', bytes: PNG }], [{ name: 'Opportunity.csv', bytes: PNG }]]) {
      const error = await ingest(db, upload, { settings: DEFAULT_SETTINGS }).catch((e) => e);
      expect([error.kind, error.problems]).toEqual(['unsupported', [{ file: upload[0].name, line: null, column: null, reason: 'not a CSV or ZIP file' }]]);
    }
    db.close();
  });
});
