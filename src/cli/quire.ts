#!/usr/bin/env node
// The `quire` command: tunes V8 first (see v8-flags.ts), then loads and runs the command line.
import { tuneV8ForBuilds } from '../v8-flags.js';

tuneV8ForBuilds();
await import('./main.js');
