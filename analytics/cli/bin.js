#!/usr/bin/env node
// The published entry point: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
await runCli(process.argv.slice(2));
