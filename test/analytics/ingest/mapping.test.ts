import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../../analytics/db';
import { RejectedFileError } from '../../../analytics/errors';
import {
  deriveMappedStages,
  matchesMapping,
  parseMapping,
  prepareMapped,
  previewMapped,
  proposeMapping,
  type Mapping
} from '../../../analytics/ingest/adapters/mapped/mapping';
import { FIXTURES, memoryDb, SHARED_DATA, splitCsv } from '../../helpers';

const MAPPED = join(FIXTURES, 'mapped');
const MAVEN = join(SHARED_DATA, 'maven-crm-sales-opportunities/sales_pipeline.csv');
const mappingFile = (path: string) => parseMapping(readFileSync(path, 'utf8'), path);
const euro = () => mappingFile(join(MAPPED, 'euro-deals.json'));

/** A raw staged table as the ingest makes one: every column VARCHAR, plus rec (record number). */
async function stageRaw(conn: DuckDBConnection, path: string, table: string): Promise<void> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE "${table}" AS
     SELECT row_number() OVER ()::INTEGER AS rec, * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"')`,
    { path }
  );
}

describe('mapped files', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());
  const withConn = <T>(fn: (conn: DuckDBConnection) => Promise<T>) => db.exclusive(fn);

  it('reads decimal commas, thousands dots, a currency symbol and day/month/year dates; outcome rules decide won and lost', async () => {
    const rows = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
      const result = await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, euro(), null, new Date('2025-06-30T12:00:00Z'));
      expect(result.problems).toEqual([]);
      expect(result.corporateCurrency).toBe('EUR');
      expect(result.hasActivity).toBe(false);
      // no modified date: the latest close (E5, 12/03/2025) or created date (E5, 10/01/2025)
      expect([result.asOf, result.asOfSource]).toEqual([new Date('2025-03-12T00:00:00Z'), 'Close']);
      return queryRows(
        conn,
        `SELECT deal_id, name, stage, stage_sort_order, amount, currency, is_closed, is_won, close_date::VARCHAR AS close_date,
                created_at::VARCHAR AS created_at, owner_name, pipeline FROM cur_deals ORDER BY deal_id`
      );
    });
    expect(rows).toEqual([
      { deal_id: 'E1', name: 'Alpha', stage: 'Negotiation', stage_sort_order: 1, amount: 1234.5, currency: 'EUR', is_closed: false, is_won: false, close_date: '2025-01-31', created_at: '2024-11-15 00:00:00', owner_name: 'Anna', pipeline: 'default' },
      { deal_id: 'E2', name: 'Beta', stage: 'Closed', stage_sort_order: 2, amount: 10000, currency: 'EUR', is_closed: true, is_won: true, close_date: '2025-02-13', created_at: '2024-12-02 00:00:00', owner_name: 'Anna', pipeline: 'default' },
      { deal_id: 'E3', name: 'Gamma', stage: 'Closed', stage_sort_order: 2, amount: 500.5, currency: 'EUR', is_closed: true, is_won: false, close_date: '2025-02-28', created_at: '2025-01-03 00:00:00', owner_name: 'Ben', pipeline: 'default' },
      // lost by `Stage in [Abandoned]`; "€ 2.000" is 2000
      { deal_id: 'E4', name: 'Delta', stage: 'Abandoned', stage_sort_order: 3, amount: 2000, currency: 'EUR', is_closed: true, is_won: false, close_date: '2025-03-05', created_at: '2025-01-04 00:00:00', owner_name: 'Ben', pipeline: 'default' },
      // "won" matches the rule's "Won": values compare ignoring case
      { deal_id: 'E5', name: 'Epsilon', stage: 'Closed', stage_sort_order: 2, amount: 750, currency: 'EUR', is_closed: true, is_won: true, close_date: '2025-03-12', created_at: '2025-01-10 00:00:00', owner_name: 'Ben', pipeline: 'default' }
    ]);
  });

  it('dates the snapshot by the latest created or close date not after today, when no modified date is mapped', async () => {
    const asOf = (today: string, mapping = euro()) =>
      withConn(async (conn) => {
        await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
        const r = await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, mapping, null, new Date(today));
        return [r.asOf?.toISOString() ?? null, r.asOfSource];
      });
    // close dates 31/01, 13/02, 28/02, 05/03, 12/03/2025; created 15/11/2024 … 10/01/2025
    expect(await asOf('2025-03-12T08:00:00Z')).toEqual(['2025-03-12T00:00:00.000Z', 'Close']); // today itself counts
    expect(await asOf('2025-03-01T00:00:00Z')).toEqual(['2025-02-28T00:00:00.000Z', 'Close']);
    expect(await asOf('2025-01-20T00:00:00Z')).toEqual(['2025-01-10T00:00:00.000Z', 'Created']);
    expect(await asOf('2024-01-01T00:00:00Z')).toEqual([null, null]); // every date is later: the ingest takes the upload time
    // a modified date, when mapped, dates it whatever today is: Created stands in for one here (latest 10/01/2025)
    const modified = euro();
    modified.deals!.columns.last_modified = 'Created';
    expect(await asOf('2024-01-01T00:00:00Z', modified)).toEqual(['2025-01-10T00:00:00.000Z', 'Created']);
  });

  it('reads a mapping with leads only: no deals, the leads, dated by their latest date', async () => {
    const leadsOnly = { ...euro(), deals: null };
    const { result, counts, leads } = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'leads.csv'), 'raw_leads');
      const result = await prepareMapped(conn, null, leadsOnly, { table: 'raw_leads', file: 'leads.csv' }, new Date('2025-06-30'));
      const [counts] = await queryRows(conn, `SELECT (SELECT count(*) FROM cur_deals)::INTEGER AS deals, (SELECT count(*) FROM cur_events)::INTEGER AS events`);
      const leads = await queryRows(conn, `SELECT lead_id, status, is_converted FROM cur_leads ORDER BY lead_id`);
      return { result, counts, leads };
    });
    expect(result.problems).toEqual([]);
    expect(counts).toEqual({ deals: 0, events: 0 });
    expect(leads).toEqual([
      { lead_id: 'L1', status: 'Qualified', is_converted: true },
      { lead_id: 'L2', status: 'New', is_converted: false },
      { lead_id: 'L3', status: 'Converted', is_converted: true }
    ]);
    // created 03/01 09:30, 04/01 14:00, 05/01 08:15; converted 20/01/2025 (L1)
    expect([result.asOf, result.asOfSource]).toEqual([new Date('2025-01-20T00:00:00Z'), 'Converted on']);
  });

  it('names the headers a section looks for when no file of the upload has them', async () => {
    const { problems } = await withConn((conn) => prepareMapped(conn, null, euro(), null));
    expect(problems).toEqual([
      { file: '(upload)', line: null, column: null, reason: `no file has the deals headers of the mapping "Euro deals: decimal comma, day/month/year, outcome in its own column": Deal ID, Stage, Result` }
    ]);
    const leadsOnly = await withConn((conn) => prepareMapped(conn, null, { ...euro(), name: 'leads', deals: null }, null));
    expect(leadsOnly.problems.map((p) => p.reason)).toEqual(['no file has the leads headers of the mapping "leads": Lead, Status, Source, Owner, Created, Converted on']);
  });

  it('creates cur_deals, cur_events, cur_leads and cur_rates with the columns and types prepareSalesforce gives them', async () => {
    const types = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
      await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, euro());
      const out: Record<string, string> = {};
      for (const t of ['cur_deals', 'cur_events', 'cur_leads', 'cur_rates']) {
        const cols = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${t}`);
        out[t] = cols.map((c) => `${c.column_name} ${c.column_type}`).join(', ');
      }
      return out;
    });
    // Copied from DESCRIBE of the tables prepareSalesforce makes from test/fixtures/overview.
    expect(types).toEqual({
      cur_deals:
        'rec INTEGER, deal_id VARCHAR, name VARCHAR, account_id VARCHAR, account_name VARCHAR, owner_id VARCHAR, owner_name VARCHAR, pipeline VARCHAR, stage VARCHAR, stage_sort_order DOUBLE, amount DOUBLE, currency VARCHAR, amount_corporate DOUBLE, conversion_rate DOUBLE, probability DOUBLE, forecast_category VARCHAR, is_closed BOOLEAN, is_won BOOLEAN, close_date DATE, created_at TIMESTAMP, last_activity_date DATE, last_modified_at TIMESTAMP, last_stage_change_at TIMESTAMP, lead_source VARCHAR, type VARCHAR',
      cur_events:
        'deal_id VARCHAR, seq INTEGER, event_at TIMESTAMP, stage VARCHAR, amount DOUBLE, amount_corporate DOUBLE, close_date DATE, probability DOUBLE, forecast_category VARCHAR',
      cur_leads:
        'lead_id VARCHAR, status VARCHAR, lead_source VARCHAR, owner_id VARCHAR, owner_name VARCHAR, company VARCHAR, created_at TIMESTAMP, is_converted BOOLEAN, converted_date DATE, converted_deal_id VARCHAR, last_modified_at TIMESTAMP',
      cur_rates: 'iso_code VARCHAR, conversion_rate DOUBLE, is_corporate BOOLEAN'
    });
  });

  it('reads leads with a converted rule (status Converted, or a converted date)', async () => {
    const leads = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
      await stageRaw(conn, join(MAPPED, 'leads.csv'), 'raw_leads');
      const result = await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, euro(), { table: 'raw_leads', file: 'leads.csv' });
      expect(result.problems).toEqual([]);
      return queryRows(conn, `SELECT lead_id, status, lead_source, owner_name, created_at::VARCHAR AS created_at, is_converted, converted_date::VARCHAR AS converted_date FROM cur_leads ORDER BY lead_id`);
    });
    expect(leads).toEqual([
      { lead_id: 'L1', status: 'Qualified', lead_source: 'Web', owner_name: 'Anna', created_at: '2025-01-03 09:30:00', is_converted: true, converted_date: '2025-01-20' },
      { lead_id: 'L2', status: 'New', lead_source: 'web', owner_name: 'Ben', created_at: '2025-01-04 14:00:00', is_converted: false, converted_date: null },
      { lead_id: 'L3', status: 'Converted', lead_source: 'Event', owner_name: 'Ben', created_at: '2025-01-05 08:15:00', is_converted: true, converted_date: null }
    ]);
  });

  it('lists every value that does not parse with its line and column, and writes no deals', async () => {
    const { problems } = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'bad-values.csv'), 'raw_bad');
      return prepareMapped(conn, { table: 'raw_bad', file: 'bad-values.csv' }, euro());
    });
    expect(problems).toEqual([
      { file: 'bad-values.csv', line: 3, column: 'Value', reason: 'not a number: "12k"' },
      { file: 'bad-values.csv', line: 4, column: 'Close', reason: 'not a date (%d/%m/%Y or %d/%m/%Y %H:%M): "31/13/2025"' },
      { file: 'bad-values.csv', line: 5, column: 'Deal ID', reason: 'empty deal_id' },
      { file: 'bad-values.csv', line: 6, column: 'Result', reason: 'both the won and the lost rule hold' }
    ]);
  });

  it('takes record lines from the scan when quoted fields span lines', async () => {
    const { problems } = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'bad-values.csv'), 'raw_bad');
      const recordLines = Int32Array.from([2, 4, 7, 8, 9]);
      return prepareMapped(conn, { table: 'raw_bad', file: 'bad-values.csv', recordLines }, euro());
    });
    expect(problems.map((p) => p.line)).toEqual([4, 7, 8, 9]);
  });

  it('names the columns a mapping asks for that the file lacks', async () => {
    const { problems } = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'leads.csv'), 'raw_leads');
      return prepareMapped(conn, { table: 'raw_leads', file: 'leads.csv' }, euro());
    });
    const reason = (paths: string) => `no such column (mapping ${paths}); columns: Lead, Status, Source, Owner, Created, Converted on`;
    expect(problems).toEqual(
      [
        ['Deal ID', 'deals.columns.deal_id'],
        ['Deal name', 'deals.columns.name'],
        ['Stage', 'deals.columns.stage, deals.outcome.lost.any[1]'],
        ['Value', 'deals.columns.amount'],
        ['Close', 'deals.columns.close_date'],
        ['Result', 'deals.outcome.won, deals.outcome.lost.any[0]']
      ].map(([column, paths]) => ({ file: 'leads.csv', line: 1, column, reason: reason(paths) }))
    );
  });

  it('previews the first rows as they will be read, with the problems of each cell', async () => {
    const preview = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'bad-values.csv'), 'raw_bad');
      return previewMapped(conn, { table: 'raw_bad', file: 'bad-values.csv' }, euro(), 'deals', 3);
    });
    expect(preview.fields).toEqual(['deal_id', 'name', 'stage', 'amount', 'close_date', 'created_date', 'owner']);
    expect(preview.rows).toEqual([
      { line: 2, values: { deal_id: 'B1', name: 'Fine', stage: 'Closed', amount: 1000, close_date: '2025-01-31', created_date: '2025-01-02 00:00:00', owner: 'Anna' }, outcome: 'won', problems: [] },
      { line: 3, values: { deal_id: 'B2', name: 'Kilo', stage: 'Closed', amount: null, close_date: '2025-01-31', created_date: '2025-01-02 00:00:00', owner: 'Anna' }, outcome: 'won', problems: [{ field: 'amount', column: 'Value', reason: 'not a number: "12k"' }] },
      {
        line: 4,
        values: { deal_id: 'B3', name: 'Month 13', stage: 'Negotiation', amount: 5, close_date: null, created_date: '2025-01-02 00:00:00', owner: 'Anna' },
        outcome: 'open',
        problems: [{ field: 'close_date', column: 'Close', reason: 'not a date (%d/%m/%Y or %d/%m/%Y %H:%M): "31/13/2025"' }]
      }
    ]);
  });

  it('without outcome rules, takes closed and won from the stage list', async () => {
    const m = euro();
    m.deals!.outcome = {};
    m.deals!.stages = [{ stage: 'Negotiation' }, { stage: 'Closed', won: true }, { stage: 'Abandoned', closed: true }];
    const rows = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
      await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, m);
      return queryRows(conn, `SELECT deal_id, is_closed, is_won FROM cur_deals ORDER BY deal_id`);
    });
    expect(rows).toEqual([
      { deal_id: 'E1', is_closed: false, is_won: false },
      { deal_id: 'E2', is_closed: true, is_won: true },
      { deal_id: 'E3', is_closed: true, is_won: true },
      { deal_id: 'E4', is_closed: true, is_won: false },
      { deal_id: 'E5', is_closed: true, is_won: true }
    ]);
  });

  it('derives stages from the mapping order, then the deals: closed and won from the outcome rules', async () => {
    const stages = await withConn(async (conn) => {
      await stageRaw(conn, join(MAPPED, 'euro-deals.csv'), 'raw_deals');
      await prepareMapped(conn, { table: 'raw_deals', file: 'euro-deals.csv' }, euro());
      return deriveMappedStages(conn, euro());
    });
    expect(stages.map((s) => [s.stage, s.sort_order, s.probability, s.is_closed, s.is_won, s.origin])).toEqual([
      ['Negotiation', 1, null, false, false, 'mapping'],
      // Closed holds won E2, E5 and lost E3: the most frequent value, won, decides
      ['Closed', 2, 100, true, true, 'mapping'],
      ['Abandoned', 3, null, true, false, 'mapping']
    ]);
  });
});

describe('mapping files', () => {
  it('matches files by the detect headers, ignoring case and outer spaces', () => {
    const m = euro();
    expect(matchesMapping(m, ['deal id', 'Stage ', 'Result', 'Other'])).toBe('deals');
    expect(matchesMapping(m, ['Deal ID', 'Stage'])).toBeNull();
    expect(matchesMapping(m, ['Lead', 'Status', 'Source', 'Owner', 'Created', 'Converted on'])).toBe('leads');
  });

  it('rejects a mapping with every problem named', () => {
    const bad = {
      formats: { date: ['%d/%m/%Y', '%d.%Q.%Y', '%m/%Y'], decimal: ',', thousands: ',', currency: 'euro' },
      deals: {
        columns: { deal_id: 'Id', amout: 'Amount' },
        outcome: { won: { column: 'Result', equals: 'Won', in: ['Won'] }, lost: { column: 'Result', matches: 'Lost' } },
        stages: [{ stage: 'Open', probability: 150 }]
      }
    };
    let error: unknown;
    try {
      parseMapping(JSON.stringify(bad), 'm.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RejectedFileError);
    expect((error as RejectedFileError).problems.map((p) => `${p.column}: ${p.reason}`)).toEqual([
      'formats.date[1]: unknown specifier in "%d.%Q.%Y" (time zones %z, %Z are not read)',
      'formats.date[2]: "%m/%Y" needs a year (%Y or %y), a month (%m, %b) and a day (%d)',
      'formats.thousands: the same as the decimal separator',
      'formats.currency: a three-letter currency code',
      'deals.columns.amout: unknown field; fields: deal_id, name, account, stage, amount, currency, close_date, created_date, owner, owner_id, lead_source, type, pipeline, probability, forecast_category, last_activity_date, last_modified',
      'deals.columns.stage: required',
      'deals.outcome.won: a rule has one test: equals, in or empty',
      'deals.outcome.lost.matches: unknown key; expected column, equals, in, empty',
      'deals.outcome.lost: a rule has one test: equals, in or empty',
      'deals.stages[0].probability: a number from 0 to 100'
    ]);
    expect((error as RejectedFileError).problems.every((p) => p.file === 'm.json' && p.line === null)).toBe(true);
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseMapping('{ "deals": ', 'm.json')).toThrow(/^rejected: m\.json: not JSON/);
  });

  it('proposes a mapping from headers and sample values: decimal comma, day-first dates, euro, outcome column', () => {
    const { header, rows } = splitCsv(join(MAPPED, 'euro-deals.csv'));
    const proposal = proposeMapping(header, rows);
    expect(proposal).toEqual({
      mapping: {
        name: null,
        formats: { date: ['%d/%m/%Y'], decimal: ',', thousands: '.', strip_currency: true, currency: 'EUR', probability: 'percent' },
        deals: {
          detect: { headers: ['Deal ID', 'Deal name', 'Stage', 'Value', 'Close', 'Created', 'Owner', 'Result'] },
          columns: { deal_id: 'Deal ID', name: 'Deal name', stage: 'Stage', amount: 'Value', close_date: 'Close', created_date: 'Created', owner: 'Owner' },
          outcome: { won: { column: 'Result', equals: 'Won' }, lost: { column: 'Result', equals: 'Lost' } },
          stages: []
        },
        leads: null
      },
      notes: []
    });
    // a proposal is a valid mapping
    expect(parseMapping(JSON.stringify(proposal.mapping))).toEqual(proposal.mapping);
  });

  it('proposes from Pipedrive-style headers: names that contain a field name, a status column with won / lost, US dates', () => {
    const header = ['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Stage', 'Deal - Status', 'Deal - Owner', 'Deal - Expected close date', 'Deal - Deal created'];
    const rows = [
      ['101', 'Acme', '1,200.50', 'USD', 'Proposal Made', 'open', 'Ann', '03/05/2025', '01/20/2025 09:15'],
      ['102', 'Birch', '800', 'USD', 'Negotiations Started', 'won', 'Bob', '02/28/2025', '01/22/2025 16:40'],
      ['103', 'Cedar', '', 'EUR', 'Qualified', 'lost', 'Ann', '', '01/23/2025 10:00']
    ];
    expect(proposeMapping(header, rows)).toEqual({
      mapping: {
        name: null,
        formats: { date: ['%m/%d/%Y', '%m/%d/%Y %H:%M'], decimal: '.', thousands: ',', strip_currency: false, currency: null, probability: 'percent' },
        deals: {
          detect: {
            headers: ['Deal - ID', 'Deal - Title', 'Deal - Stage', 'Deal - Value', 'Deal - Currency', 'Deal - Expected close date', 'Deal - Deal created', 'Deal - Owner', 'Deal - Status']
          },
          columns: {
            deal_id: 'Deal - ID',
            name: 'Deal - Title',
            stage: 'Deal - Stage',
            amount: 'Deal - Value',
            currency: 'Deal - Currency',
            close_date: 'Deal - Expected close date',
            created_date: 'Deal - Deal created',
            owner: 'Deal - Owner'
          },
          outcome: { won: { column: 'Deal - Status', equals: 'won' }, lost: { column: 'Deal - Status', equals: 'lost' } },
          stages: []
        },
        leads: null
      },
      notes: []
    });
  });

  it('says when the samples cannot tell day/month from month/day', () => {
    const { mapping, notes } = proposeMapping(['Id', 'Stage', 'Close Date'], [['1', 'Closed Won', '03/04/2025'], ['2', 'Closed Lost', '05/06/2025']]);
    expect(mapping.formats.date).toEqual(['%m/%d/%Y']);
    expect(mapping.deals!.outcome).toEqual({ won: { column: 'Stage', equals: 'Closed Won' }, lost: { column: 'Stage', equals: 'Closed Lost' } });
    expect(notes).toEqual(['no day above 12 in the samples: dates read as month/day; check']);
  });
});

describe('Maven CRM sales opportunities through data/mappings', () => {
  let db: Database;
  let mapping: Mapping;
  beforeAll(async () => {
    db = await memoryDb();
    mapping = mappingFile('data/mappings/maven-crm-sales-opportunities.json');
  });
  afterAll(() => db.close());

  it('recognises the file and proposes the same columns the mapping names', () => {
    const { header, rows } = splitCsv(MAVEN);
    expect(matchesMapping(mapping, header)).toBe('deals');
    const proposed = proposeMapping(header, rows.slice(0, 50)).mapping;
    expect(proposed.deals!.columns).toEqual({ ...mapping.deals!.columns, type: undefined });
    expect(proposed.deals!.outcome).toEqual(mapping.deals!.outcome);
    expect(proposed.formats.date).toEqual(['iso']);
  });

  it('win rates per sales agent equal Won / (Won + Lost) counted from the CSV by plain string splitting', async () => {
    // Independent figure: the file has no quotes (checked), so each line splits on commas;
    // column 2 is sales_agent, column 5 deal_stage.
    const text = readFileSync(MAVEN, 'utf8');
    expect(text.includes('"')).toBe(false);
    const expected = new Map<string, { won: number; lost: number }>();
    let wonAmount = 0;
    for (const line of text.split('\n').slice(1).filter(Boolean)) {
      const cells = line.split(',');
      const agent = expected.get(cells[1]) ?? { won: 0, lost: 0 };
      if (cells[4] === 'Won') agent.won++, (wonAmount += Number(cells[7]));
      if (cells[4] === 'Lost') agent.lost++;
      expected.set(cells[1], agent);
    }
    const want = [...expected].map(([owner, c]) => ({ owner, won: c.won, closed: c.won + c.lost, win_rate: c.won / (c.won + c.lost) })).sort((a, b) => a.owner.localeCompare(b.owner));

    const { result, got, totals } = await db.exclusive(async (conn) => {
      await stageRaw(conn, MAVEN, 'raw_maven');
      const result = await prepareMapped(conn, { table: 'raw_maven', file: 'sales_pipeline.csv' }, mapping);
      const got = await queryRows<{ owner: string; won: number; closed: number; win_rate: number }>(
        conn,
        `SELECT owner_name AS owner, count(*) FILTER (WHERE is_won)::INTEGER AS won, count(*) FILTER (WHERE is_closed)::INTEGER AS closed,
                count(*) FILTER (WHERE is_won) / count(*) FILTER (WHERE is_closed) AS win_rate
         FROM cur_deals GROUP BY owner_name`
      );
      const [totals] = await queryRows(
        conn,
        `SELECT count(*)::INTEGER AS deals, count(*) FILTER (WHERE NOT is_closed)::INTEGER AS open,
                count(*) FILTER (WHERE close_date IS NULL)::INTEGER AS no_close_date, count(*) FILTER (WHERE created_at IS NULL)::INTEGER AS no_created,
                sum(amount) FILTER (WHERE is_won)::DOUBLE AS won_amount
         FROM cur_deals`
      );
      return { result, got, totals };
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(got.sort((a, b) => a.owner.localeCompare(b.owner))).toEqual(want);
    expect(want).toHaveLength(30);
    // from `awk -F, '{print $5, $6 == "", $7 == ""}' | sort | uniq -c`: 4238 Won, 2473 Lost, 1589 Engaging and
    // 500 Prospecting without a close date, the 500 Prospecting also without an engage date
    expect(totals).toEqual({ deals: 8800, open: 2089, no_close_date: 2089, no_created: 500, won_amount: wonAmount });
  });
});
