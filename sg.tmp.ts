import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureStorageGrowth, printStorageGrowth } from '/work/main/test/bench/storage-growth';
const dir = mkdtempSync(join(tmpdir(), 'sg-'));
printStorageGrowth(await measureStorageGrowth(dir, (s) => console.error(s)));
