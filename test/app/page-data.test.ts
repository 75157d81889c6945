/**
 * The filter bar's options and the durations page's raw visits on the HubSpot fixture
 * (two pipelines, test/fixtures/README.md `hubspot/`) and the Salesforce pipeline
 * fixture (one pipeline, 'default'); page URLs holding impossible dates or snapshot ids answer
 * 4xx, not 500.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers';
import { openWorkspace, readInputPaths, type Workspace } from '../../analytics';

describe('filter options and visits per pipeline', () => {
  let ws: Workspace;
  let hubspot: number;
  let salesforce: number;
  beforeAll(async () => {
    ws = await openWorkspace(':memory:');
    hubspot = (await ws.ingest(readInputPaths([join(FIXTURES, 'hubspot')]))).snapshot.snapshot_id;
    // two CRMs in one workspace only here, to compare their filter options side by side
    salesforce = (await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline', 'a')]), { asOf: '2024-07-01T00:00:00Z', force: true })).snapshot.snapshot_id;
  });
  afterAll(() => ws.close());

  it('lists the pipelines of a snapshot with several, by name', async () => {
    const options = await ws.filterOptions(hubspot);
    expect(options.pipelines).toEqual(['Renewals', 'Sales Pipeline']);
    expect(options.owners).toEqual(['Ann Lee', 'Bob Roy']);
  });

  it("lists the one pipeline of a Salesforce export ('default'), which the filter bar hides", async () => {
    expect((await ws.filterOptions(salesforce)).pipelines).toEqual(['default']);
  });

  it('has no pipeline before the first upload', async () => {
    expect((await ws.filterOptions(null)).pipelines).toEqual([]);
  });

  it("gives the durations page only the chosen pipeline's stages and visits", async () => {
    const byStage = (rows: Awaited<ReturnType<Workspace['visitDurations']>>) =>
      Object.fromEntries(rows.map((r) => [r.stage, { closed: r.is_closed, days: r.days }]));
    // Renewals: 201 Renewal due 05-01 09:00 → 06-01 09:00 (31 d), Quote sent 06-01 09:00 → 06-30 10:00 (29.0 d);
    // 202 Renewal due 06-01 09:00 → 06-15 11:00 (14.1 d); 203 Renewal due 05-10 09:00 → 06-15 12:00 (36 d 3 h, 36.1); 202 and 204 ongoing.
    expect(byStage(await ws.visitDurations(hubspot, { pipeline: 'Renewals' }))).toEqual({
      'Renewal due': { closed: false, days: [14.1, 31, 36.1] },
      'Quote sent': { closed: false, days: [29] },
      'Closed won': { closed: true, days: [] },
      'Closed lost': { closed: true, days: [] }
    });
    const sales = byStage(await ws.visitDurations(hubspot, { pipeline: 'Sales Pipeline' }));
    expect(Object.keys(sales).sort()).toEqual([
      'Appointment scheduled',
      'Closed lost',
      'Closed won',
      'Contract sent',
      'Decision maker bought-in',
      'Presentation scheduled',
      'Qualified to buy'
    ]);
  });
});

describe('engine errors on a page', () => {
  const statusOfThrown = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as { status?: number }).status;
    }
    return null;
  };

  it('answer 404 for a snapshot that is gone, whoever finds it out, and the kind status for the rest', async () => {
    const { engineError } = await import('../../app/lib/server/page-data');
    const { BadParameterError, NotFoundError, MixedDataError } = await import('../../analytics');
    expect(statusOfThrown(() => engineError(new NotFoundError('snapshot 9'), '9'))).toBe(404);
    expect(statusOfThrown(() => engineError(new BadParameterError('snapshot', 'not found: snapshot 9'), '9'))).toBe(404);
    expect(statusOfThrown(() => engineError(new BadParameterError('period', 'a fiscal quarter')))).toBe(400);
    expect(statusOfThrown(() => engineError(new MixedDataError('another CRM', null)))).toBe(409);
    expect(statusOfThrown(() => engineError(new Error('boom')))).toBeUndefined();
  });
});

describe('impossible values in page URLs', () => {
  type Load = { load: (event: unknown) => Promise<unknown> };
  let ws: Workspace;
  beforeAll(async () => {
    ws = await openWorkspace(':memory:');
    await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline', 'a')]), { asOf: '2024-06-30T12:00:00Z' });
    await ws.ingest(readInputPaths([join(FIXTURES, 'pipeline', 'b')]), { asOf: '2024-07-31T12:00:00Z' });
  });
  afterAll(() => ws.close());

  /** The status a page's load() answers for `path` (200 when it loads). */
  async function statusOf(path: string, module: () => Promise<unknown>): Promise<number> {
    const url = new URL(`http://localhost${path}`);
    const { load } = (await module()) as Load;
    try {
      await load({
        url,
        request: new Request(url),
        locals: { principal: null, workspace: { slug: 'default', ws, actor: { role: 'admin', name: 'test' } } },
        parent: async () => ({ locale: 'en-US', snapshots: (await ws.snapshots()).map((s) => ({ snapshot_id: s.snapshot_id, as_of: s.as_of })) }),
        params: {}
      });
      return 200;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === undefined) throw err;
      return status;
    }
  }

  it.each([
    ['/forecast?from=2024-02-31', 400, () => import('../../app/routes/forecast/+page.server')],
    ['/durations?from=2024-02-31&to=2024-06-30', 400, () => import('../../app/routes/durations/+page.server')],
    ['/deals?to=2023-02-29', 400, () => import('../../app/routes/deals/+page.server')],
    ['/win-rates?from=2024-04-31', 400, () => import('../../app/routes/win-rates/+page.server')],
    ['/funnel?snapshot=1e21', 404, () => import('../../app/routes/funnel/+page.server')],
    ['/trends?snapshot=1e21', 404, () => import('../../app/routes/trends/+page.server')],
    ['/?snapshot=1e21', 404, () => import('../../app/routes/+page.server')],
    ['/snapshots/changes?bucket=start&base=1e21', 400, () => import('../../app/routes/snapshots/changes/+page.server')],
    ['/forecast?from=2024-02-29&to=2024-03-31', 200, () => import('../../app/routes/forecast/+page.server')]
  ])('%s answers %i', async (path, status, module) => {
    expect(await statusOf(path, module)).toBe(status);
  });
});
