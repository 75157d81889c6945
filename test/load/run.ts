/**
 * npm run loadtest: 50 concurrent viewers for 30 s on the overview and forecast pages of
 * the built server's demo company (workspace demo: /w/demo, /w/demo/forecast) while
 * uploads run into that same workspace (/api/w/demo/snapshots, so they contend for the
 * database the viewers read), on loopback. Prints the latency percentiles; exits 1 on any
 * error or non-2xx answer.
 *
 * Exits 1 too when the p99 latency is above LOAD_P99_MS: reads must keep flowing while an
 * upload runs.
 *
 *   LOAD_CONNECTIONS (50), LOAD_SECONDS (30), LOAD_P99_MS (1000)
 */
import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SLUG, inDemo, requireBuild, startServer, tempDir } from '../browser/harness';
import { syntheticOpportunities } from '../helpers';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const P99_BOUND_MS = Number(process.env.LOAD_P99_MS ?? 1000);

requireBuild();
const dir = tempDir('load');
const server = await startServer(join(dir, 'pipelens.duckdb'));
let uploading = true;
const uploads: number[] = [];
const uploader = (async () => {
  for (let n = 0; uploading; n++) {
    const form = new FormData();
    form.append('files', new File([syntheticOpportunities(100_000, `L${n}-`, '2026-12-15')], 'Opportunity.csv'));
    const t = performance.now();
    const res = await fetch(`${server.demoApi}/snapshots?as_of=2026-11-20T00:00:00Z`, { method: 'POST', body: form });
    if (res.status !== 201 && res.status !== 200) throw new Error(`upload answered ${res.status}`);
    uploads.push(performance.now() - t);
  }
})();

try {
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'GET', path: inDemo('/') }, { method: 'GET', path: inDemo('/forecast') }]
  });
  uploading = false;
  await uploader;
  const failures = result.errors + result.timeouts + result.non2xx;
  console.log(`${CONNECTIONS} viewers for ${SECONDS} s on ${inDemo('/')} and ${inDemo('/forecast')}, uploads of 100,000 deals into workspace ${DEMO_SLUG} running meanwhile`);
  console.log(`requests: ${result.requests.total}, errors: ${result.errors}, timeouts: ${result.timeouts}, non-2xx: ${result.non2xx}`);
  console.log(`latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99} (bound ${P99_BOUND_MS}), max ${result.latency.max}`);
  console.log(`uploads completed meanwhile: ${uploads.length} (median ${uploads.sort((a, b) => a - b)[Math.floor(uploads.length / 2)]?.toFixed(0)} ms)`);
  process.exitCode = failures || result.latency.p99 > P99_BOUND_MS ? 1 : 0;
} finally {
  uploading = false;
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
