import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../analytics/db';
import { parseExpression, type FieldKind } from '../../../analytics/ingest/fields';
import { memoryDb } from '../../helpers';

describe('parseExpression', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());
  const parse = async (kind: FieldKind, value: string) => {
    const [row] = await db.query<{ v: unknown }>(`SELECT (${parseExpression(kind, '$value')})::VARCHAR AS v`, { value });
    return row.v;
  };

  it.each([
    ['2023-10-28 20:45:25', '2023-10-28 20:45:25'],
    ['2023-10-28T20:45:25.000Z', '2023-10-28 20:45:25'],
    ['2023-10-28T20:45:25.000+0200', '2023-10-28 18:45:25'],
    ['2023-10-28T20:45:25-05:00', '2023-10-29 01:45:25'],
    ['2023-10-28 6:49:18', '2023-10-28 06:49:18'],
    ['2023-10-28 20:45:25.051', '2023-10-28 20:45:25.051'],
    ['02/23/26 08:55 PM', '2026-02-23 20:55:00'],
    ['02/03/24', '2024-02-03 00:00:00'],
    ['2/3/2024', '2024-02-03 00:00:00'],
    ['2024-13-45', null]
  ])('reads the timestamp %s as %s (UTC)', async (value, expected) => {
    expect(await parse('timestamp', value)).toBe(expected);
  });

  it.each([
    ['15000', '15000.0'],
    ['1,500.50', '1500.5'],
    ['USD 1,500.00', '1500.0'],
    ['$2,000', '2000.0'],
    ['-300', '-300.0'],
    ['12k', null]
  ])('reads the number %s', async (value, expected) => {
    expect(await parse('number', value)).toBe(expected);
  });

  it.each([
    ['1', 'true'], ['TRUE', 'true'], ['true', 'true'], ['0', 'false'], ['FALSE', 'false'], ['maybe', null]
  ])('reads the boolean %s', async (value, expected) => {
    expect(await parse('bool', value)).toBe(expected);
  });
});
