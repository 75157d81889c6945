import { RejectedFileError } from '../errors';
import { lackedColumns, type CrmAdapter } from './adapters/adapter';
import { ADAPTERS } from './adapters/index';

interface Candidate {
  name: string;
  header: string[];
}

/**
 * Which CRM's export an upload is, from its files' names and headers alone: the one
 * CRM whose main file (Salesforce Opportunity, HubSpot or Pipedrive deals) is there.
 * `forced` (--format) narrows the choice to one. Anything else is rejected, naming
 * the closest format and the columns the nearest file lacks.
 */
export function detectAdapter(files: Candidate[], forced: CrmAdapter | null, allNames: string[]): CrmAdapter {
  const choices = forced ? [forced] : ADAPTERS;
  const found = choices.filter((a) => files.some((f) => a.classify(f.name, f.header)?.object === a.primary.object));
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    const [file] = files.filter((f) => found.some((a) => a.classify(f.name, f.header)?.object === a.primary.object));
    throw new RejectedFileError([
      {
        file: file.name,
        line: null,
        column: null,
        reason: `${found.map((a) => a.label).join(' and ')} exports in one upload: upload them separately, or choose one with the format parameter`
      }
    ]);
  }

  const scored = files.flatMap((f) =>
    choices.map((a) => {
      const lacks = lackedColumns(a.primary, f.header);
      return { file: f.name, adapter: a, lacks, share: 1 - lacks.length / a.primary.signature.length };
    })
  );
  const best = scored.reduce<(typeof scored)[number] | null>((b, s) => (!b || s.share > b.share ? s : b), null);
  const closest = best && best.share > 0 ? best : null;
  const adapter = closest?.adapter ?? choices[0];
  const lacks = closest?.lacks ?? adapter.primary.signature;
  // Starts the way a Salesforce-only Pipelens said it, so scripts matching that keep working.
  const what = forced ? `not a ${forced.label} export` : 'not a Salesforce export, nor a HubSpot or Pipedrive deals export';
  throw new RejectedFileError([
    {
      file: closest?.file ?? allNames.join(', '),
      // a whole-file problem: line null, as the Salesforce-only message had it (scripts read it)
      line: null,
      column: null,
      reason: `${what}: the closest format, ${adapter.label}, lacks ${lacks.join(', ')}`
    }
  ]);
}
