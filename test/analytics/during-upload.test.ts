/**
 * A large upload holds its workspace's write queue for seconds: sign-in and session checks
 * (the registry's own database) must not wait for it, and settings saved meanwhile must
 * not show in memory before the database holds them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputPaths, type Workspace, type Workspaces } from '../../analytics';
import { FIXTURES, syntheticOpportunities, tempWorkspaces } from '../helpers';

const bigUpload = () => [{ name: 'Opportunity.csv', bytes: syntheticOpportunities(50_000, 'B') }];

describe('during a large upload', () => {
  let registry: Workspaces;
  let cleanup: () => Promise<void>;
  let acme: Workspace;
  beforeAll(async () => {
    ({ registry, cleanup } = await tempWorkspaces());
    await registry.create('Acme');
    acme = await registry.open('acme');
    await acme.ingest(readInputPaths([join(FIXTURES, 'overview')]), { asOf: '2024-08-15' });
    await registry.auth.addUser('ann', 'correct horse battery');
    await registry.auth.grant('ann', 'acme', 'admin');
  });
  afterAll(() => cleanup());

  it('signs in a person with a role in that workspace, and checks their session, before the upload ends', async () => {
    const started = performance.now();
    const upload = acme.ingest(bigUpload(), { asOf: '2024-09-01' }).then(() => performance.now() - started);
    const signed = await registry.auth.signIn('ann', 'correct horse battery');
    expect(signed?.principal.roles).toEqual({ acme: 'admin' });
    expect((await registry.auth.authenticate({ session: signed!.session }))?.name).toBe('ann');
    const signedIn = performance.now() - started;
    // waiting behind the upload, the sign-in would end with it
    expect(signedIn).toBeLessThan((await upload) / 2);
    // the sign-in reaches the workspace's audit log once the upload is written
    await acme.idle();
    expect((await acme.auditLog()).map((e) => e.action)).toContain('sign in');
  });

  it('keeps the old settings until the database holds the new ones, then shows both', async () => {
    const before = acme.settings();
    const [latest] = await acme.snapshots();
    const probability = async () => (await acme.stageSettingRows(latest.snapshot_id)).find((r) => r.stage === 'Prospecting')!.effective.probability;
    const oldProbability = await probability();
    let uploaded = false;
    const upload = acme.ingest(bigUpload(), { asOf: '2024-10-01' }).then(() => (uploaded = true));
    const saved = acme.replaceSettings({ ...before, stall_threshold_days: 99, stages: [{ stage: 'Prospecting', probability: 33 }] }, 'test');
    await new Promise((r) => setTimeout(r, 100));
    expect(uploaded).toBe(false);
    expect([acme.settings().stall_threshold_days, await probability()]).toEqual([before.stall_threshold_days, oldProbability]);
    await Promise.all([upload, saved]);
    expect([acme.settings().stall_threshold_days, await probability()]).toEqual([99, 33]);
  });
});
