import { describe, expect, it } from 'vitest';
import { accuracySentence, accuracyTable, errorTitle, mostAccurate, wapeByMethod, type AccuracyMetricRow } from '../../app/lib/forecast-accuracy';

const A = '2024-06-30T12:00:00Z';
const row = (figure: string, forecast: number, actual: number, quarter = 'FY2024Q2', snapshot_id: number | null = 1): AccuracyMetricRow => ({
  quarter,
  snapshot_id,
  as_of: snapshot_id === null ? null : A,
  figure,
  forecast,
  actual,
  error: snapshot_id === null || !actual ? null : (forecast - actual) / actual,
  wape: null
});
const wape = (figure: string, value: number | null): AccuracyMetricRow => ({ ...row(figure, 0, 0, '(all ended)', null), wape: value });

// The forecast-accuracy metric's answer on test/fixtures/pipeline (see test/analytics/metrics/forecast-accuracy.test.ts).
const FIXTURE: AccuracyMetricRow[] = [
  row('commit_forecast', 25000, 20000),
  row('best_case_forecast', 25000, 20000),
  row('weighted', 24000, 20000),
  row('calibrated', 24000, 20000),
  wape('commit_forecast', 0.25),
  wape('best_case_forecast', 0.25),
  wape('weighted', 0.2),
  wape('calibrated', 0.2)
];

describe('accuracyTable', () => {
  it('puts every figure of one snapshot’s forecast of one quarter side by side', () => {
    expect(accuracyTable(FIXTURE)).toEqual([
      {
        key: 'FY2024Q2:1',
        quarter: 'FY2024Q2',
        snapshot_id: 1,
        as_of: A,
        actual: 20000,
        forecast: { commit_forecast: 25000, best_case_forecast: 25000, weighted: 24000, calibrated: 24000 },
        error: { commit_forecast: 0.25, best_case_forecast: 0.25, weighted: 0.2, calibrated: 0.2 }
      }
    ]);
  });
});

describe('most accurate method', () => {
  it('takes the WAPE rows and names every method tied for the lowest', () => {
    expect(wapeByMethod(FIXTURE).map((w) => [w.figure, w.wape])).toEqual([
      ['commit_forecast', 0.25],
      ['best_case_forecast', 0.25],
      ['weighted', 0.2],
      ['calibrated', 0.2]
    ]);
    expect(mostAccurate(wapeByMethod(FIXTURE)).map((w) => w.figure)).toEqual(['weighted', 'calibrated']);
    expect(accuracySentence(FIXTURE, 'en-US')).toBe(
      'The weighted forecast and the calibrated forecast have been equally the most accurate for this team: WAPE 20% over 1 forecast of 1 ended quarter (FY2024 Q2).'
    );
  });

  it('names one method, over several forecasts and quarters', () => {
    const rows = [
      row('commit_forecast', 90, 100),
      row('weighted', 130, 100),
      row('commit_forecast', 55, 50, 'FY2024Q3', 2),
      row('weighted', 50, 50, 'FY2024Q3', 2),
      wape('commit_forecast', 15 / 150),
      wape('weighted', 30 / 150)
    ];
    expect(accuracySentence(rows, 'en-US')).toBe('The commit forecast has been the most accurate for this team: WAPE 10% over 2 forecasts of 2 ended quarters (FY2024 Q2 and FY2024 Q3).');
  });

  it('says why there is nothing to measure', () => {
    expect(accuracySentence([], 'en-US')).toMatch(/^No ended quarter was forecast by an earlier snapshot yet/);
    expect(accuracySentence([row('weighted', 10, 0), wape('weighted', null)], 'en-US')).toBe('The ended quarters had no closed won, so the forecast error cannot be measured.');
  });
});

describe('errorTitle', () => {
  it('says over or under the actual', () => {
    expect(errorTitle(0.25, 'en-US')).toBe('25% over the actual');
    expect(errorTitle(-0.1, 'en-US')).toBe('10% under the actual');
    expect(errorTitle(null, 'en-US')).toBe('No actual to compare with');
  });
});
