#!/usr/bin/env node
// The `datadetector` command: the bundled CLI (run `npm run build` first after a fresh clone).
require('../out/main/datadetector.js')
