import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { generateDemo, writeDemo, type DemoExport } from '../../data/generate-demo';

type Row = Record<string, string>;

/** Splits one CSV line, honouring quotes and doubled quotes (the demo has no newlines inside fields). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

interface ParsedCsv {
  header: string[];
  records: string[][];
  rows: Row[];
}

const parsedFiles = new Map<string, ParsedCsv>();

/** Parses a file once (the same text recurs across tests and weeks). */
function parseCsv(text: string): ParsedCsv {
  const cached = parsedFiles.get(text);
  if (cached) return cached;
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('a CSV file must end with a newline');
  const [header, ...records] = lines.map(splitCsvLine);
  const rows = records.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i]])));
  const parsed = { header, records, rows };
  parsedFiles.set(text, parsed);
  return parsed;
}

function rows(demoExport: DemoExport, file: string): Row[] {
  return parseCsv(demoExport.files[file]).rows;
}

/** 'YYYY-MM-DD HH:MM:SS' (UTC) as epoch ms. */
const timestamp = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const STAGE_FLAGS: Record<string, { closed: string; won: string }> = {
  'Closed Won': { closed: '1', won: '1' },
  'Closed Lost': { closed: '1', won: '0' },
};

// One default run (2,000 deals × 8 weeks) shared by the tests that read its contents.
const exports = generateDemo();
const last = exports[exports.length - 1];
const lastOpportunities = rows(last, 'Opportunity.csv');
const lastHistory = rows(last, 'OpportunityHistory.csv');
const historyByDeal = groupBy(lastHistory, (row) => row.OpportunityId);
const liveOpenDeals = lastOpportunities.filter((deal) => deal.IsDeleted === '0' && deal.IsClosed === '0');

describe('generateDemo', () => {
  it('is byte-identical for the same seed', () => {
    const options = { seed: 7, deals: 300, weeks: 3 };
    expect(generateDemo(options)).toEqual(generateDemo(options));
  });

  it('differs for another seed', () => {
    const a = generateDemo({ seed: 7, deals: 300, weeks: 1 })[0];
    const b = generateDemo({ seed: 8, deals: 300, weeks: 1 })[0];
    expect(a.files['Opportunity.csv']).not.toEqual(b.files['Opportunity.csv']);
  });

  it('makes one export per week, seven days apart, ending at the last export date', () => {
    expect(exports).toHaveLength(8);
    expect(last.asOf).toBe('2026-11-16T06:00:00Z');
    expect(exports[0].asOf).toBe('2026-09-28T06:00:00Z');
    expect(generateDemo({ deals: 200, weeks: 3, lastExport: '2025-03-03' }).map((e) => e.asOf)).toEqual([
      '2025-02-17T06:00:00Z', '2025-02-24T06:00:00Z', '2025-03-03T06:00:00Z',
    ]);
  });

  it('has about the requested number of deals in the last export', () => {
    expect(Math.abs(lastOpportunities.length - 2000)).toBeLessThanOrEqual(200);
  });

  it('writes well-formed CSV: quoted fields, as many fields per row as the header', () => {
    for (const demoExport of exports) {
      for (const [name, text] of Object.entries(demoExport.files)) {
        expect(text.charCodeAt(0), name).not.toBe(0xfeff);
        expect(text.includes('\r'), name).toBe(false);
        expect(text.split('\n').every((line) => line === '' || (line.startsWith('"') && line.endsWith('"'))), name).toBe(true);
        const { header, records } = parseCsv(text);
        expect(records.length, name).toBeGreaterThan(0);
        expect(records.filter((record) => record.length !== header.length).map((record) => record[0]), name).toEqual([]);
      }
    }
  });

  it('uses 18-character ids with the Salesforce key prefixes', () => {
    expect(lastOpportunities.every((deal) => /^006[0-9A-Za-z]{15}$/.test(deal.Id))).toBe(true);
    expect(lastHistory.every((row) => /^008[0-9A-Za-z]{15}$/.test(row.Id))).toBe(true);
    expect(rows(last, 'Lead.csv').every((lead) => /^00Q[0-9A-Za-z]{15}$/.test(lead.Id))).toBe(true);
  });

  it('keeps ids and creation times stable across weeks', () => {
    const firstWeek = new Map(rows(exports[0], 'Opportunity.csv').map((deal) => [deal.Id, deal.CreatedDate]));
    const lastWeek = new Map(lastOpportunities.map((deal) => [deal.Id, deal.CreatedDate]));
    for (const [id, createdDate] of firstWeek) expect(lastWeek.get(id)).toBe(createdDate);
  });

  it('shows only what existed by each export, with history rows in time order per deal', () => {
    for (const demoExport of exports) {
      const asOf = Date.parse(demoExport.asOf);
      const history = rows(demoExport, 'OpportunityHistory.csv');
      expect(history.filter((row) => timestamp(row.CreatedDate) > asOf).map((row) => row.Id)).toEqual([]);
      const unordered = [...groupBy(history, (row) => row.OpportunityId)].filter(([, dealRows]) =>
        dealRows.some((row, i) => i > 0 && timestamp(row.CreatedDate) < timestamp(dealRows[i - 1].CreatedDate)));
      expect(unordered.map(([id]) => id)).toEqual([]);
      const fromTheFuture = rows(demoExport, 'Opportunity.csv').filter((deal) =>
        timestamp(deal.CreatedDate) > asOf || timestamp(deal.LastModifiedDate) > asOf);
      expect(fromTheFuture.map((deal) => deal.Id)).toEqual([]);
    }
  });

  it('has a newest modification within the hour before each export', () => {
    for (const demoExport of exports) {
      const asOf = Date.parse(demoExport.asOf);
      for (const file of ['Opportunity.csv', 'Lead.csv']) {
        const newest = Math.max(...rows(demoExport, file).map((row) => timestamp(row.SystemModstamp)));
        expect(newest, `${demoExport.asOf} ${file}`).toBeLessThanOrEqual(asOf);
        expect(newest, `${demoExport.asOf} ${file}`).toBeGreaterThanOrEqual(asOf - 3_600_000);
      }
    }
  });

  it('ends each deal\'s history in the deal\'s current stage, amount and close date', () => {
    for (const deal of lastOpportunities) {
      const dealHistory = historyByDeal.get(deal.Id)!;
      const latest = dealHistory[dealHistory.length - 1];
      expect(latest.StageName, deal.Id).toBe(deal.StageName);
      expect(latest.Amount, deal.Id).toBe(deal.Amount);
      expect(latest.CloseDate, deal.Id).toBe(deal.CloseDate);
    }
  });

  it('sets IsClosed and IsWon from the stage', () => {
    for (const deal of lastOpportunities) {
      const flags = STAGE_FLAGS[deal.StageName] ?? { closed: '0', won: '0' };
      expect([deal.IsClosed, deal.IsWon], deal.Id).toEqual([flags.closed, flags.won]);
    }
  });

  it('wins more Partner Referral deals than Purchased List deals', () => {
    const winRate = (source: string) => {
      const closed = lastOpportunities.filter((deal) => deal.LeadSource === source && deal.IsClosed === '1' && deal.IsDeleted === '0');
      return closed.filter((deal) => deal.IsWon === '1').length / closed.length;
    };
    expect(winRate('Partner Referral')).toBeGreaterThan(winRate('Purchased List') + 0.15);
  });

  it('includes re-opened, pushed, overdue, overridden, deleted and undated-activity deals', () => {
    const reopened = lastHistory.filter((row) => row.FromOpportunityStageName === 'Closed Lost' && !STAGE_FLAGS[row.StageName]);
    const pushCount = (dealRows: Row[]) =>
      dealRows.filter((row, i) => i > 0 && row.CloseDate > dealRows[i - 1].CloseDate).length;
    const pushedTwice = [...historyByDeal.values()].filter((dealRows) => pushCount(dealRows) >= 2);
    const asOfDate = last.asOf.slice(0, 10);
    const overdue = liveOpenDeals.filter((deal) => deal.CloseDate < asOfDate);
    const omitted = liveOpenDeals.filter((deal) => deal.ForecastCategoryName === 'Omitted');

    expect(reopened.length).toBeGreaterThan(0);
    expect(pushedTwice.length).toBeGreaterThan(0);
    expect(overdue.length).toBeGreaterThan(0);
    expect(omitted.length).toBeGreaterThan(0);
    expect(lastOpportunities.filter((deal) => deal.IsDeleted === '1').length).toBeGreaterThan(0);
    expect(lastOpportunities.filter((deal) => deal.LastActivityDate === '').length).toBeGreaterThan(0);
    expect(lastOpportunities.filter((deal) => deal.Amount === '').length).toBeGreaterThan(0);
  });

  it('links converted leads to the deal they created, with the same lead source', () => {
    const dealsById = new Map(lastOpportunities.map((deal) => [deal.Id, deal]));
    const converted = rows(last, 'Lead.csv').filter((lead) => lead.IsConverted === '1');
    expect(converted.length).toBeGreaterThan(0);
    for (const lead of converted) {
      const deal = dealsById.get(lead.ConvertedOpportunityId);
      expect(deal, lead.Id).toBeDefined();
      expect(deal!.LeadSource).toBe(lead.LeadSource);
      expect(deal!.AccountId).toBe(lead.ConvertedAccountId);
      expect(lead.Status).toBe('Closed - Converted');
    }
  });

  it('changes from one week to the next', () => {
    for (let i = 1; i < exports.length; i++) {
      const before = new Map(rows(exports[i - 1], 'Opportunity.csv').map((deal) => [deal.Id, deal.StageName]));
      const after = rows(exports[i], 'Opportunity.csv');
      expect(after.filter((deal) => !before.has(deal.Id)).length, exports[i].asOf).toBeGreaterThan(0);
      expect(after.filter((deal) => before.has(deal.Id) && before.get(deal.Id) !== deal.StageName).length, exports[i].asOf).toBeGreaterThan(0);
    }
  });
});

describe('writeDemo', () => {
  it('writes one export-YYYY-MM-DD folder of CSV files per week, oldest first', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'pipelens-demo-'));
    try {
      const folders = writeDemo(outDir, { deals: 100, weeks: 2 });
      expect(folders.map((folder) => basename(folder))).toEqual(['export-2026-11-09', 'export-2026-11-16']);
      expect(readdirSync(folders[1]).sort()).toEqual([
        'Account.csv', 'CurrencyType.csv', 'Lead.csv', 'Opportunity.csv',
        'OpportunityHistory.csv', 'OpportunityStage.csv', 'User.csv',
      ]);
      const users = readFileSync(join(folders[1], 'User.csv'), 'utf8');
      expect(users).toContain('"Sofía Núñez"');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
