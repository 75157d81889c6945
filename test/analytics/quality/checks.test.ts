import { describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { ingest } from '../../../analytics/ingest/ingest';
import type { QualityCheck } from '../../../analytics/quality/checks';
import { DEFAULT_SETTINGS } from '../../../analytics/settings';
import { csvFile, memoryDb } from '../../helpers';

/**
 * Every check on a Salesforce-shaped fixture made to trip it (MESSY) and on one that
 * trips none (CLEAN). Each deal's part, by id:
 *   CLEAN: W1, W2 won (created before closing), L1 lost at 500, O1 open; history spread over days.
 *   MESSY: W1 won but closes before it was created, W2 won normally; L1, L2 lost at 0;
 *          O1 open without amount, in stage "Limbo" (no hint anywhere); O2 open, close date
 *          half a year before the snapshot, probability 150, in EUR; O3 created after the snapshot;
 *          W2 appears twice; owners by id only; most deals without lead source; 12 history rows
 *          in one hour after the snapshot date, before O3 was created.
 */
const SETTINGS = DEFAULT_SETTINGS;

const CLEAN_OPPS = csvFile('Opportunity.csv', 'Id,Name,StageName,Amount,CloseDate,CreatedDate,LeadSource,Probability', [
  'W1,Won one,Closed Won,1000,2024-03-01,2024-01-01T00:00:00Z,Web,100',
  'W2,Won two,Closed Won,2000,2024-04-01,2024-02-01T00:00:00Z,Web,100',
  'L1,Lost one,Closed Lost,500,2024-05-01,2024-02-15T00:00:00Z,Partner,0',
  'O1,Open one,Prospecting,300,2024-08-01,2024-05-01T00:00:00Z,Web,10'
]);
const historyRows = (rows: [string, string, string][]) =>
  csvFile(
    'OpportunityHistory.csv',
    'Id,OpportunityId,StageName,CreatedDate',
    rows.map(([deal, stage, at], i) => `H${i + 1},${deal},${stage},${at}`)
  );
const CLEAN_HISTORY = historyRows([
  ['W1', 'Prospecting', '2024-01-01T00:00:00Z'],
  ['W1', 'Qualification', '2024-01-20T00:00:00Z'],
  ['W1', 'Closed Won', '2024-03-01T00:00:00Z'],
  ['W2', 'Prospecting', '2024-02-01T00:00:00Z'],
  ['W2', 'Qualification', '2024-02-10T00:00:00Z'],
  ['W2', 'Closed Won', '2024-04-01T00:00:00Z'],
  ['L1', 'Prospecting', '2024-02-15T00:00:00Z'],
  ['L1', 'Closed Lost', '2024-05-01T00:00:00Z'],
  ['O1', 'Prospecting', '2024-05-01T00:00:00Z'],
  ['O1', 'Qualification', '2024-06-01T00:00:00Z']
]);

const MESSY_OPPS = csvFile('Opportunity.csv', 'Id,Name,StageName,Amount,CurrencyIsoCode,CloseDate,CreatedDate,LeadSource,Probability,OwnerId', [
  'W1,Early close,Closed Won,1000,USD,2024-03-01,2024-04-01T00:00:00Z,,100,005A',
  'W2,Won two,Closed Won,1500,USD,2024-04-01,2024-02-01T00:00:00Z,Web,100,005A',
  'W2,Won two,Closed Won,2000,USD,2024-04-01,2024-02-01T00:00:00Z,Web,100,005A',
  'L1,Lost at zero,Closed Lost,0,USD,2024-05-01,2024-02-15T00:00:00Z,,0,005B',
  'L2,Lost at zero too,Closed Lost,0,USD,2024-05-02,2024-02-16T00:00:00Z,,0,005B',
  'O1,No amount,Limbo,,USD,2024-08-01,2024-05-01T00:00:00Z,,,005B',
  'O2,Overdue,Prospecting,700,EUR,2024-01-01,2023-12-01T00:00:00Z,,150,005B',
  'O3,From the future,Prospecting,100,USD,2024-09-01,2024-07-15T00:00:00Z,,10,005B'
]);
const loadHour = (deal: string, stage: string, minute: number): [string, string, string] => [deal, stage, `2024-07-10T09:${String(minute).padStart(2, '0')}:00Z`];
const MESSY_HISTORY = historyRows([
  loadHour('W1', 'Prospecting', 1),
  loadHour('W1', 'Closed Won', 2),
  loadHour('W2', 'Prospecting', 3),
  loadHour('W2', 'Closed Won', 4),
  loadHour('L1', 'Prospecting', 5),
  loadHour('L1', 'Closed Lost', 6),
  loadHour('L2', 'Prospecting', 7),
  loadHour('L2', 'Closed Lost', 8),
  loadHour('O2', 'Prospecting', 9),
  loadHour('O3', 'Prospecting', 10),
  loadHour('O3', 'Prospecting', 11),
  loadHour('O1', 'Limbo', 12)
]);
const MESSY_LEADS = csvFile('Lead.csv', 'Id,Status,IsConverted,LeadSource,CreatedDate', [
  'Q1,Open - Not Contacted,false,Web,2024-05-01T00:00:00Z',
  'Q2,Gone fishing,false,,2024-05-02T00:00:00Z'
]);

async function checksOf(files: ReturnType<typeof csvFile>[], opts: { asOf?: string; now?: Date } = {}): Promise<{ db: Database; checks: Map<string, QualityCheck> }> {
  const db = await memoryDb();
  const { quality } = await ingest(db, files, { settings: SETTINGS, ...opts });
  return { db, checks: new Map(quality.map((c) => [c.id, c])) };
}

const hit = (c: QualityCheck | undefined) => c && { severity: c.severity, count: c.count, examples: c.examples };

describe('data-quality checks', () => {
  it('pass on a clean export: every check is run, and none hits', async () => {
    const { db, checks } = await checksOf([CLEAN_OPPS, CLEAN_HISTORY], { asOf: '2024-07-01T00:00:00Z' });
    expect([...checks.keys()]).toEqual([
      'close-before-created',
      'created-after-snapshot',
      'history-one-instant',
      'history-after-snapshot',
      'history-before-created',
      'duplicate-ids',
      'missing-amount',
      'lost-zero-amounts',
      'unknown-stage',
      'unknown-lead-status',
      'mixed-currencies',
      'probability-out-of-range',
      'owner-id-only',
      'open-long-overdue',
      'empty-lead-source',
      'snapshot-dated-on-upload'
    ]);
    expect([...checks.values()].filter((c) => c.severity !== 'ok')).toEqual([]);
    expect([...checks.values()].every((c) => c.count === 0 && c.examples.length === 0)).toBe(true);
    db.close();
  });

  it('each trips on the export made to trip it, with its count and the ids it hits', async () => {
    const { db, checks } = await checksOf([MESSY_OPPS, MESSY_HISTORY, MESSY_LEADS], { asOf: '2024-07-01T00:00:00Z' });
    // W1 closes before it was created: 1 of the 2 won deals, half, so sales cycles are unusable
    expect(hit(checks.get('close-before-created'))).toEqual({ severity: 'unusable', count: 1, examples: ['W1'] });
    expect(hit(checks.get('created-after-snapshot'))).toEqual({ severity: 'warning', count: 1, examples: ['O3'] });
    // 12 history rows, all between 09:00 and 10:00 on 2024-07-10, for 7 deals
    expect(hit(checks.get('history-one-instant'))).toEqual({ severity: 'unusable', count: 12, examples: ['L1', 'L2', 'O1', 'O2', 'O3', 'W1', 'W2'] });
    // all 12 after the snapshot date (2024-07-01)
    expect(hit(checks.get('history-after-snapshot'))).toEqual({ severity: 'unusable', count: 12, examples: ['L1', 'L2', 'O1', 'O2', 'O3', 'W1', 'W2'] });
    // W1 was created 2024-04-01 and O3 2024-07-15: only O3's history (07-10) is more than a day before its creation
    expect(hit(checks.get('history-before-created'))).toEqual({ severity: 'warning', count: 1, examples: ['O3'] });
    expect(hit(checks.get('duplicate-ids'))).toEqual({ severity: 'warning', count: 1, examples: ['W2'] });
    expect(hit(checks.get('missing-amount'))).toEqual({ severity: 'warning', count: 1, examples: ['O1'] });
    expect(checks.get('missing-amount')!.sentence).toBe('Amount missing on 1 of 7 deals (1 open, 0 won, 0 lost): each counts as 0 in sums.');
    expect(hit(checks.get('lost-zero-amounts'))).toEqual({ severity: 'unusable', count: 2, examples: ['L1', 'L2'] });
    expect(hit(checks.get('unknown-stage'))).toEqual({ severity: 'warning', count: 1, examples: ['O1'] });
    expect(hit(checks.get('unknown-lead-status'))).toEqual({ severity: 'warning', count: 1, examples: ['Q2'] });
    expect(hit(checks.get('mixed-currencies'))).toEqual({ severity: 'warning', count: 2, examples: ['EUR', 'USD'] });
    expect(hit(checks.get('probability-out-of-range'))).toEqual({ severity: 'warning', count: 1, examples: ['O2'] });
    expect(hit(checks.get('owner-id-only'))).toEqual({ severity: 'info', count: 7, examples: ['L1', 'L2', 'O1', 'O2', 'O3', 'W1', 'W2'] });
    // O2's close date 2024-01-01 is 182 days before the snapshot
    expect(hit(checks.get('open-long-overdue'))).toEqual({ severity: 'warning', count: 1, examples: ['O2'] });
    // 6 of 7 deals without a source (only W2 has one): more than half
    expect(hit(checks.get('empty-lead-source'))).toEqual({ severity: 'warning', count: 6, examples: ['L1', 'L2', 'O1', 'O2', 'O3', 'W1'] });
    expect(checks.get('empty-lead-source')!.sentence).toBe('86% of deals (6) and 50% of leads (1) have no lead source: they count under "(none)".');
    db.close();
  });

  it('a few deals closing before they were created are a warning, not a reason to hide the cycle', async () => {
    const opps = csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', [
      'A,Closed Won,1,2024-01-01,2024-02-01T00:00:00Z',
      'B,Closed Won,1,2024-03-01,2024-01-01T00:00:00Z',
      'C,Closed Won,1,2024-04-01,2024-01-01T00:00:00Z'
    ]);
    const { db, checks } = await checksOf([opps], { asOf: '2024-07-01T00:00:00Z' });
    expect(hit(checks.get('close-before-created'))).toEqual({ severity: 'warning', count: 1, examples: ['A'] });
    db.close();
  });

  it('a snapshot dated on the upload day, long after its data, is flagged; one dated from the export is not', async () => {
    const opps = csvFile('Opportunity.csv', 'Id,StageName,Amount,CloseDate,CreatedDate', ['A,Closed Won,1,2017-03-01,2017-01-01T00:00:00Z']);
    const { db, checks } = await checksOf([opps], { now: new Date('2026-12-03T10:00:00Z') });
    expect(hit(checks.get('snapshot-dated-on-upload'))).toEqual({ severity: 'warning', count: 1, examples: [] });
    expect(checks.get('snapshot-dated-on-upload')!.sentence).toContain('(2026-12-03) but its latest date is 2017-03-01');
    db.close();
    const dated = await checksOf([opps], { asOf: '2017-04-01' });
    expect(hit(dated.checks.get('snapshot-dated-on-upload'))).toEqual({ severity: 'ok', count: 0, examples: [] });
    dated.db.close();
  });
});
