#!/usr/bin/env node
// The `quire` command: tunes V8 first (see v8-flags.ts), then loads and runs the command line.
import { reachFastCodeSooner } from '../v8-flags.js';

reachFastCodeSooner();
await import('./main.js');
