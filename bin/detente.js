#!/usr/bin/env node
// The CLI runs straight from the TypeScript sources through tsx's loader, so a
// checkout works right after `npm install` with no build step to remember.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
