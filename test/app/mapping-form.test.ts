import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMapping, type Mapping } from '../../analytics/ingest/adapters/mapped/format';
import { proposeMapping } from '../../analytics/ingest/adapters/mapped/propose';
import { describeRule, formProblems, formToMapping, mappingToForm, moveStage, slugify, unknownFormat, type MappingForm } from '../../app/lib/mapping-form';
import { FIXTURES, splitCsv } from '../helpers';

// What POST /api/mappings/inspect proposes for euro-deals.csv (written out in test/analytics/ingest/mapping.test.ts).
const { header: HEADERS, rows } = splitCsv(join(FIXTURES, 'mapped', 'euro-deals.csv'));
const PROPOSAL: Mapping = proposeMapping(HEADERS, rows).mapping;

const FORM: MappingForm = {
  name: 'euro-deals',
  columns: {
    deal_id: 'Deal ID', name: 'Deal name', stage: 'Stage', amount: 'Value', currency: '', close_date: 'Close', created_date: 'Created',
    owner: 'Owner', lead_source: '', type: '', pipeline: '', probability: '', last_activity_date: ''
  },
  dates: '%d/%m/%Y',
  decimal: ',',
  thousands: '.',
  strip_currency: true,
  currency: 'EUR',
  won: { column: 'Result', value: 'Won', kept: null },
  lost: { column: 'Result', value: 'Lost', kept: null },
  stages: []
};

describe('mapping form', () => {
  it('slugifies a file name into a mapping name', () => {
    expect(slugify('euro-deals.csv')).toBe('euro-deals');
    expect(slugify('Q1 Deals (EUR).CSV')).toBe('q1-deals-eur');
    expect(slugify('C:\\exports\\Pipeline_2025.01.csv')).toBe('pipeline_2025.01');
    expect(slugify('Überblick Verträge.csv')).toBe('uberblick-vertrage');
    expect(slugify('——.csv')).toBe('mapping');
    expect(slugify(`${'a'.repeat(70)}.csv`)).toBe('a'.repeat(64));
  });

  it('turns a proposal into the form: a header per field, "—" (empty) for none, simple rules as column and value', () => {
    expect(mappingToForm(PROPOSAL, 'euro-deals.csv', HEADERS)).toEqual(FORM);
  });

  it('turns the form back into the same mapping, detect headers included', () => {
    expect(formToMapping(FORM, PROPOSAL)).toEqual({ ...PROPOSAL, name: 'euro-deals' });
    expect(() => parseMapping(JSON.stringify(formToMapping(FORM, PROPOSAL)))).not.toThrow();
  });

  it('applies edits: fields removed and added, several date patterns, no currency, one rule dropped', () => {
    const form: MappingForm = {
      ...FORM,
      columns: { ...FORM.columns, name: '', type: 'Result' },
      dates: ' %d/%m/%Y ; %d.%m.%Y;iso; ',
      thousands: '',
      currency: ' usd ',
      lost: { column: '', value: 'Lost', kept: null }
    };
    const m = formToMapping(form, PROPOSAL);
    expect(m.formats).toEqual({ date: ['%d/%m/%Y', '%d.%m.%Y', 'iso'], decimal: ',', thousands: '', strip_currency: true, currency: 'USD', probability: 'percent' });
    expect(m.deals!.columns).toEqual({ deal_id: 'Deal ID', stage: 'Stage', amount: 'Value', close_date: 'Close', created_date: 'Created', owner: 'Owner', type: 'Result' });
    expect(m.deals!.outcome).toEqual({ won: { column: 'Result', equals: 'Won' } });
    expect(m.deals!.detect.headers).toEqual(['Deal ID', 'Stage', 'Value', 'Close', 'Created', 'Owner', 'Result']);
    expect(formToMapping({ ...form, dates: ' ; ', currency: '' }, PROPOSAL).formats).toMatchObject({ date: ['iso'], currency: null });
  });

  it('keeps a rule of another shape as it is, and what the form does not show', () => {
    const lost = { any: [{ column: 'Result', equals: 'Lost' }, { column: 'Stage', in: ['Abandoned'] }] };
    const base: Mapping = {
      ...PROPOSAL,
      deals: { ...PROPOSAL.deals!, columns: { ...PROPOSAL.deals!.columns, account: 'Owner' }, outcome: { won: { column: 'result', equals: 'Won' }, lost, closed: { column: 'Stage', equals: 'Closed' } }, stages: [{ stage: 'Negotiation' }] }
    };
    const form = mappingToForm(base, 'x.csv', HEADERS);
    expect(form.won).toEqual({ column: 'Result', value: 'Won', kept: null }); // header matched ignoring case
    expect(form.lost).toEqual({ column: '', value: '', kept: lost });
    expect(describeRule(lost)).toBe('any of (Result equals "Lost"; Stage is one of "Abandoned")');
    const back = formToMapping(form, base);
    expect(back.deals!.outcome).toEqual({ won: { column: 'Result', equals: 'Won' }, lost, closed: { column: 'Stage', equals: 'Closed' } });
    expect(back.deals!.columns.account).toBe('Owner');
    expect(back.deals!.stages).toEqual([{ stage: 'Negotiation' }]);
  });

  it('keeps the stage order: the mapping\'s stages in the form, the form\'s order back in the mapping with what it said of each', () => {
    const base: Mapping = { ...PROPOSAL, deals: { ...PROPOSAL.deals!, stages: [{ stage: 'Negotiation' }, { stage: 'Closed', probability: 100 }] } };
    const form = mappingToForm(base, 'euro-deals.csv', HEADERS);
    expect(form.stages).toEqual(['Negotiation', 'Closed']);
    const back = formToMapping({ ...form, stages: ['Abandoned', 'Negotiation', 'Closed'] }, base);
    expect(back.deals!.stages).toEqual([{ stage: 'Abandoned' }, { stage: 'Negotiation' }, { stage: 'Closed', probability: 100 }]);
    expect(parseMapping(JSON.stringify(back)).deals!.stages.map((s) => s.stage)).toEqual(['Abandoned', 'Negotiation', 'Closed']);
  });

  it('moves a stage up or down among the open stages, the closed ones keeping their places', () => {
    const stages = ['Lead', 'Demo', 'Won', 'Proposal', 'Lost'];
    const open = (s: string) => !['Won', 'Lost'].includes(s);
    expect(moveStage(stages, 'Demo', -1, open)).toEqual(['Demo', 'Lead', 'Won', 'Proposal', 'Lost']);
    // Proposal up swaps with Demo, over Won
    expect(moveStage(stages, 'Proposal', -1, open)).toEqual(['Lead', 'Proposal', 'Won', 'Demo', 'Lost']);
    expect(moveStage(stages, 'Demo', 1, open)).toEqual(['Lead', 'Proposal', 'Won', 'Demo', 'Lost']);
    // at either end, or not movable: unchanged
    expect(moveStage(stages, 'Lead', -1, open)).toBe(stages);
    expect(moveStage(stages, 'Proposal', 1, open)).toBe(stages);
    expect(moveStage(stages, 'Won', -1, open)).toBe(stages);
    expect(moveStage(['A', 'B'], 'B', -1)).toEqual(['B', 'A']);
  });

  it('names what the form lacks', () => {
    expect(formProblems(FORM)).toEqual([]);
    const bad: MappingForm = { ...FORM, name: 'euro deals', currency: 'EURO', columns: { ...FORM.columns, stage: '' }, won: { column: 'Result', value: ' ', kept: null } };
    expect(formProblems(bad).map((p) => `${p.column}: ${p.reason}`)).toEqual([
      'Stage: choose the column that holds it',
      'Won when: type the value of Result that means won',
      'Mapping name: letters, digits, . _ - (at most 64)',
      'Fixed currency: a three-letter currency code, such as EUR'
    ]);
  });

  it('recognises the rejection of a file in no known format', () => {
    const reason = 'not a Salesforce export, nor a HubSpot or Pipedrive deals export: the closest format, Salesforce, lacks Id, StageName';
    expect(unknownFormat({ file: 'x.csv', line: null, column: null, reason })).toBe(true);
    expect(unknownFormat({ file: 'x.csv', line: 2, column: 'CloseDate', reason: 'not a date: "x"' })).toBe(false);
  });
});
