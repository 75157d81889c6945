import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BadParameterError, NotFoundError, RejectedFileError } from '../../../errors';
import { parseMapping, type Mapping } from './mapping';
import { writeWhole } from '../../../settings';

/**
 * Saved column mappings: one JSON file each in `PIPELENS_MAPPINGS`, else data/mappings.
 * An upload no CRM recognises is read through the first saved mapping that fits its
 * headers; the upload page saves the mappings people make there.
 */
export interface SavedMapping {
  name: string;
  mapping: Mapping;
}

const NAME = /^[\w.-]{1,64}$/;

/** Every readable mapping in the folder, by name (the file name without .json); broken files are left out. */
export function savedMappings(dir: string): SavedMapping[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      const name = f.slice(0, -'.json'.length);
      try {
        return [{ name, mapping: parseMapping(readFileSync(join(dir, f), 'utf8'), f) }];
      } catch (err) {
        if (err instanceof RejectedFileError) return [];
        throw err;
      }
    });
}

/** A saved mapping by name only (what the HTTP API accepts: no path reaches the file system). */
export function loadSavedMapping(name: string, dir: string): Mapping {
  const path = join(dir, `${name}.json`);
  if (!NAME.test(name) || !existsSync(path)) throw new BadParameterError('mapping', `no saved mapping named ${JSON.stringify(name)}`);
  return parseMapping(readFileSync(path, 'utf8'), `${name}.json`);
}

/** A saved mapping by name, or a mapping file's path (the command line). */
export function loadMapping(ref: string, dir: string): Mapping {
  if (NAME.test(ref) && existsSync(join(dir, `${ref}.json`))) return loadSavedMapping(ref, dir);
  if (!existsSync(ref)) throw new BadParameterError('mapping', `no saved mapping or file ${JSON.stringify(ref)}`);
  return parseMapping(readFileSync(ref, 'utf8'), ref);
}

/** Checks and saves a mapping under `name` (letters, digits, . _ -), replacing one of that name. */
export function saveMapping(name: string, mapping: unknown, dir: string): SavedMapping {
  if (!NAME.test(name)) throw new BadParameterError('name', 'letters, digits, . _ - (at most 64)');
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) throw new BadParameterError('body', 'a mapping: a JSON object');
  const checked = parseMapping(mapping, `${name}.json`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeWhole(path, JSON.stringify({ ...(mapping as object), name }, null, 2) + '\n');
  return { name, mapping: { ...checked, name } };
}

/** Deletes the saved mapping `name`; NotFoundError when there is none of that name. */
export function deleteMapping(name: string, dir: string): void {
  const path = join(dir, `${name}.json`);
  if (!NAME.test(name) || !existsSync(path)) throw new NotFoundError(`mapping ${name}`);
  rmSync(path);
}
