import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, type Database } from '../db';
import { runChecks, type IngestFacts, type QualityCheck, type Severity } from './checks';

/** Writes a snapshot's checks (inside the ingest's transaction). */
export async function storeChecks(conn: DuckDBConnection, snapshot: number, checks: QualityCheck[]): Promise<void> {
  for (const [position, c] of checks.entries()) {
    await conn.run(
      `INSERT INTO quality_checks VALUES ($snapshot, $position, $id, $severity, $sentence, $count, $examples::JSON, $affects::JSON, $drill)`,
      {
        snapshot,
        position,
        id: c.id,
        severity: c.severity,
        sentence: c.sentence,
        count: c.count,
        examples: JSON.stringify(c.examples),
        affects: JSON.stringify(c.affects),
        drill: c.drill
      }
    );
  }
}

export async function checkAndStore(conn: DuckDBConnection, snapshot: number, facts?: IngestFacts): Promise<QualityCheck[]> {
  const checks = await runChecks(conn, snapshot, facts);
  await storeChecks(conn, snapshot, checks);
  return checks;
}

const READ_SQL = `
  SELECT check_id AS id, severity, sentence, hit_count AS count, examples::VARCHAR AS examples, affects::VARCHAR AS affects, drill
  FROM quality_checks WHERE snapshot_id = $snapshot ORDER BY position`;

type StoredRow = Omit<QualityCheck, 'examples' | 'affects'> & { examples: string; affects: string };

/**
 * A snapshot's checks, newest definitions first: a snapshot loaded before checks existed
 * is checked on first asking (its duplicate-id count is then unknown: the rows are gone).
 */
export async function qualityOf(db: Database, snapshot: number): Promise<QualityCheck[]> {
  const stored = await db.query<StoredRow>(READ_SQL, { snapshot });
  if (stored.length) return stored.map(parse);
  return db.transaction(async (conn) => {
    const again = await queryRows<StoredRow>(conn, READ_SQL, { snapshot });
    if (again.length) return again.map(parse);
    const [exists] = await queryRows<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM snapshots WHERE snapshot_id = $snapshot`, { snapshot });
    return exists.n ? checkAndStore(conn, snapshot) : [];
  });
}

function parse(r: StoredRow): QualityCheck {
  return { ...r, severity: r.severity as Severity, examples: JSON.parse(r.examples), affects: JSON.parse(r.affects), drill: r.drill as QualityCheck['drill'] };
}
