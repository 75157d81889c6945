/** The URL filters of the report pages (app/lib/filters.ts), the pipeline filter in particular. */
import { describe, expect, it } from 'vitest';
import { dealsHref, describeFilters, hasFilters, metricParams, readFilters } from '../../app/lib/filters';

const url = (query: string) => new URL(`http://localhost/funnel?${query}`);

describe('pipeline filter', () => {
  it('is read from the URL, trimmed, beside the other filters', () => {
    expect(readFilters(url('snapshot=3&pipeline=%20Renewals%20&owner=Ann+Lee&period=fy2024q3'))).toEqual({
      snapshot: '3',
      pipeline: 'Renewals',
      owner: 'Ann Lee',
      period: 'FY2024Q3'
    });
    expect(readFilters(url('pipeline='))).toEqual({});
  });

  it('is read only by pages that offer it', () => {
    expect(readFilters(url('pipeline=Renewals&owner=Ann'), ['owner'])).toEqual({ owner: 'Ann' });
  });

  it('goes to every metric that accepts the default filters, and not to one that does not', () => {
    const f = readFilters(url('snapshot=2&pipeline=Sales+Pipeline&type=Renewal'));
    expect(metricParams(f)).toEqual({ snapshot: '2', type: 'Renewal', pipeline: 'Sales Pipeline' });
    expect(metricParams(f, ['period', 'from', 'to', 'owner', 'lead_source'])).toEqual({ snapshot: '2' });
    expect(metricParams(f, ['pipeline'])).toEqual({ snapshot: '2', pipeline: 'Sales Pipeline' });
  });

  it('stays in the drill-down link to the deals', () => {
    expect(dealsHref({ snapshot: '1', pipeline: 'Sales Pipeline', period: 'FY2024Q3' }, { reached: 'Qualified to buy', date_field: 'created' })).toBe(
      '/deals?snapshot=1&pipeline=Sales+Pipeline&period=FY2024Q3&reached=Qualified+to+buy&date_field=created'
    );
  });

  it('is described in words after the period and before the stage', () => {
    expect(describeFilters({ period: 'FY2024Q3', pipeline: 'Renewals', stage: 'Quote sent', owner: 'Bob Roy' }, 'en-US')).toEqual([
      'closing in FY2024 Q3',
      'pipeline Renewals',
      'stage Quote sent',
      'owner Bob Roy'
    ]);
    expect(describeFilters({ pipeline: 'Renewals' })).toEqual(['pipeline Renewals']);
  });

  it('counts as a filter to clear', () => {
    expect(hasFilters({ snapshot: '1', pipeline: 'Renewals' })).toBe(true);
    expect(hasFilters({ snapshot: '1' })).toBe(false);
  });
});
