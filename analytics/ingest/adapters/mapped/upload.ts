import type { Database } from '../../../db';
import { RejectedFileError } from '../../../errors';
import { stageAsText } from './index';
import { scanCsv } from '../../csv-scan';
import { toUtf8 } from '../../decode';
import { expandInputs, type InputFile } from '../../inputs';
import { previewMapped, proposeMapping, type Mapping, type PreviewRow } from './mapping';
import type { Problem } from '../../../errors';

export interface UploadInspection {
  file: string;
  headers: string[];
  /** the mapping Pipelens proposes from the headers and the first rows, and what to check in it */
  proposal: { mapping: Mapping; notes: string[] };
  /** the first rows as the mapping given (else the proposal) reads them */
  preview: { fields: string[]; rows: PreviewRow[]; problems: Problem[] };
}

const SAMPLE_ROWS = 200;

/**
 * For the upload page's mapping step: the first CSV of an upload (a spreadsheet's first
 * sheet), its headers, a proposed mapping and a preview of its first rows. Writes
 * nothing; the staged rows live in temporary tables of one connection.
 */
export async function inspectUpload(db: Database, uploads: InputFile[], mapping: Mapping | null = null, limit = 20): Promise<UploadInspection> {
  const [file] = expandInputs(uploads).filter((f) => /\.(csv|txt)$/i.test(f.name));
  if (!file) throw new RejectedFileError([{ file: uploads.map((u) => u.name).join(', ') || '(upload)', line: null, column: null, reason: 'no CSV or spreadsheet to map' }]);
  const body = toUtf8(file.bytes).utf8;
  const scan = scanCsv(body);
  if (scan.problems.length) throw new RejectedFileError(scan.problems.map((p) => ({ file: file.name, ...p })));
  return db.exclusive(async (conn) => {
    const staged = await stageAsText(conn, { name: file.name, bytes: body, scan }, { object: 'MappedDeals', signature: [], fields: [] }, 'stg_inspect');
    if (staged.problems.length) throw new RejectedFileError(staged.problems);
    try {
      const sample = (await conn.runAndReadAll(`SELECT * EXCLUDE (rec) FROM stg_inspect ORDER BY rec LIMIT ${SAMPLE_ROWS}`)).getRowsJS() as (string | null)[][];
      const proposal = proposeMapping(scan.header, sample.map((r) => r.map((v) => v ?? '')));
      const source = { table: 'stg_inspect', file: file.name, recordLines: scan.recordLines };
      const preview = await previewMapped(conn, source, mapping ?? proposal.mapping, 'deals', limit);
      return { file: file.name, headers: scan.header, proposal, preview };
    } finally {
      await conn.run('DROP TABLE IF EXISTS stg_inspect');
    }
  });
}
