/**
 * A write that fails on a full disk: DuckDB may end the transaction itself, so the ROLLBACK
 * after it fails with "no transaction is active". The error reported is the first one, as a
 * StorageFullError (the edge answers 507), and the database is as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, storageError, type Database } from '../../analytics/db';
import { BadParameterError, StorageFullError } from '../../analytics/errors';
import { memoryDb } from '../helpers';

const DISK_FULL = 'IO Error: Could not write file "/data/pipelens.duckdb.wal": No space left on device';

describe('a full disk', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    await db.query('CREATE TABLE t (n INTEGER)');
  });
  afterAll(() => db.close());

  it('reports the write that failed, not the ROLLBACK after it, as a StorageFullError', async () => {
    const err = await db
      .exclusive((conn) =>
        inTransaction(conn, async () => {
          await conn.run('INSERT INTO t VALUES (1)');
          await conn.run('ROLLBACK'); // what DuckDB does to a transaction whose write failed
          throw new Error(DISK_FULL);
        })
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect(err.kind).toBe('storage-full');
    expect(err.cause.message).toBe(DISK_FULL);
    expect(await db.query('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('rolls back an ordinary failure and rethrows it as it is', async () => {
    const failure = new BadParameterError('x', 'y');
    const err = await db.transaction(async (conn) => {
      await conn.run('INSERT INTO t VALUES (2)');
      throw failure;
    }).catch((e) => e);
    expect(err).toBe(failure);
    expect(await db.query('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it.each([DISK_FULL, 'IO Error: Could not write 4096 bytes to file "/tmp/duckdb_temp_storage-0.tmp"', "ENOSPC: no space left on device, write"])(
    'knows %s as a full disk',
    (message) => expect(storageError(new Error(message))).toBeInstanceOf(StorageFullError)
  );

  it('leaves other errors as they are', () => {
    const other = new Error('Binder Error: column x not found');
    expect(storageError(other)).toBe(other);
  });
});
