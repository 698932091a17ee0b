#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle that `npm install` builds (the prepare script) and `npm run build`.
let main;
try {
  ({ main } = require('../dist/cli.js'));
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND') throw error;
  process.stderr.write(
    'rcu-lens: the bundle is missing: run `npm run build` in the rcu-lens clone\n',
  );
  process.exit(2);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
