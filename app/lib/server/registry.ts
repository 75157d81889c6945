/**
 * The app's entry point into the engine: the process's workspaces, the registry of the
 * data directory the environment names (PIPELENS_DATA, PIPELENS_DB, …; `pipelens serve`
 * sets them up before the app starts), and whether sign-in is required (PIPELENS_AUTH).
 * The environment is read here, not in the engine.
 */
import { authEnabled, dataLocations, openWorkspaces, type Workspaces } from '../../../analytics';

export const signInRequired = (): boolean => authEnabled(process.env);

let registry: Promise<Workspaces> | null = null;

export function workspaces(): Promise<Workspaces> {
  registry ??= openWorkspaces(dataLocations({}, process.env)).then(async (r) => {
    await r.start({ demo: false });
    return r;
  });
  // a failed open (the registry locked by a command line run) is tried again on the next request
  registry.catch(() => (registry = null));
  return registry;
}
