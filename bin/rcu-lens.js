#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle built by `npm run build` (or `npm install`, via prepare).
const { main } = require('../dist/cli.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
