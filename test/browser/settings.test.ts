/**
 * The settings page of the demo company's workspace: an admin marks an open stage lost and
 * saves; every snapshot's open pipeline drops by that stage's deals at once, and the page
 * shows what the export said. The settings are the demo workspace's own (its folder's
 * settings.json): the default workspace's are untouched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowserSession, workspaceDir } from './harness';

interface OpenRow { stage: string; deals: number }

describe('settings page', () => {
  const session = useBrowserSession();

  it('applies a stage outcome to every snapshot without re-uploading', async () => {
    const { page, server, watch } = session;
    const openByStage = async (snapshot: string) => {
      const res = await fetch(`${server.demoApi}/metrics/trends?snapshot=${snapshot}`);
      return ((await res.json()).rows as (OpenRow & { snapshot_id: number; open_count: number })[]).map((r) => ({ snapshot: r.snapshot_id, stage: r.stage, deals: r.open_count }));
    };
    const before = await openByStage('latest');
    const negotiation = before.filter((r) => r.stage === 'Negotiation/Review');
    expect(negotiation.length).toBeGreaterThan(1);
    expect(negotiation.every((r) => r.deals > 0)).toBe(true);

    await page.goto(`${server.demo}/settings`);
    const outcome = page.getByLabel('Outcome of Negotiation/Review');
    await expect(outcome.inputValue()).resolves.toBe('open');
    await outcome.selectOption('lost');
    await page.getByRole('button', { name: 'Save and apply' }).click();
    await page.waitForURL(/\/settings\?saved/);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/saved and applied to every snapshot/);
    await expect(page.getByLabel('Outcome of Negotiation/Review').inputValue()).resolves.toBe('lost');
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Negotiation/Review' }) });
    await expect(row.locator('td').last().textContent()).resolves.toBe('export: Open');
    await session.screenshot('settings.png');

    // every snapshot's open pipeline lost its Negotiation/Review deals; the other stages kept theirs
    const after = await openByStage('latest');
    expect(after.filter((r) => r.stage === 'Negotiation/Review')).toEqual([]);
    expect(after).toEqual(before.filter((r) => r.stage !== 'Negotiation/Review'));
    // the settings file beside the demo workspace's database holds just the change; the default workspace's has none
    const file = join(workspaceDir(server, 'demo'), 'settings.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).stages).toEqual([{ stage: 'Negotiation/Review', is_closed: true, is_won: false }]);
    expect(existsSync(join(workspaceDir(server, 'default'), 'settings.json'))).toBe(false);
    expect(watch.problems).toEqual([]);
  });

  it('merges a renamed stage into another in every snapshot, and undoes it', async () => {
    const { page, server, watch } = session;
    const openCounts = async () => {
      const rows = (await (await fetch(`${server.demoApi}/metrics/trends`)).json()).rows as { snapshot_id: number; stage: string; open_count: number }[];
      return (stage: string) => rows.filter((r) => r.stage === stage).map((r) => [r.snapshot_id, r.open_count]);
    };
    const before = await openCounts();
    const merge = async (into: string) => {
      await page.goto(`${server.demo}/settings`);
      await page.getByLabel('Read Id. Decision Makers as').selectOption(into);
      await page.getByRole('button', { name: 'Save and apply' }).click();
      await page.waitForURL(/\/settings\?saved/);
    };
    await merge('Value Proposition');
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Id. Decision Makers' }) });
    await expect(row.locator('td').last().textContent()).resolves.toBe('merged into Value Proposition');
    await session.screenshot('settings-merged.png');
    const merged = await openCounts();
    expect(merged('Id. Decision Makers')).toEqual([]);
    const summed = before('Value Proposition').map(([snapshot, n]) => [snapshot, n + (before('Id. Decision Makers').find(([s]) => s === snapshot)?.[1] ?? 0)]);
    expect(merged('Value Proposition')).toEqual(summed);

    await merge('');
    expect((await openCounts())('Id. Decision Makers')).toEqual(before('Id. Decision Makers'));
    expect(watch.problems).toEqual([]);
  });
});
