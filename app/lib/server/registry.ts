/**
 * The process's workspaces: the registry of the data directory the environment names
 * (PIPELENS_DATA, PIPELENS_DB, …; `pipelens serve` sets them up before the app starts).
 */
import { dataLocations, openWorkspaces, type Workspaces } from '../../../analytics';

let registry: Promise<Workspaces> | null = null;

export function workspaces(): Promise<Workspaces> {
  registry ??= openWorkspaces(dataLocations()).then(async (r) => {
    await r.start({ demo: false });
    return r;
  });
  // a failed open (the registry locked by a command line run) is tried again on the next request
  registry.catch(() => (registry = null));
  return registry;
}
