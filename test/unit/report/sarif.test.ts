import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

import packageJson from '../../../package.json';
import { RULES } from '../../../server/src/rules/catalogue';
import { formatSarif, toSarifLog } from '../../../server/src/report/sarif';
import { sampleReports } from './sample-findings';

/**
 * The SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (the schemastore copy, rtm.5, that
 * the OASIS standard was published from). It is draft-04, hence ajv-draft-04; its language
 * pattern is not valid under the `u` flag, hence `unicodeRegExp: false`.
 */
function loadValidator() {
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = loadValidator();
const ROOT = path.resolve('/work/src/linux');

function assertValid(log: unknown): void {
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
}

describe('toSarifLog', () => {
  it('produces a log the SARIF 2.1.0 schema accepts', () => {
    assertValid(toSarifLog(sampleReports(), { root: ROOT }));
    assertValid(toSarifLog([], { root: ROOT, docsBase: 'https://example.invalid/rules.md' }));
    assertValid(JSON.parse(formatSarif(sampleReports(), { root: ROOT })));
  });

  it('has a live validator: a broken log is rejected', () => {
    const log = structuredClone(toSarifLog(sampleReports(), { root: ROOT })) as unknown as {
      runs: {
        results: {
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(log), false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    assert.ok(paths.includes('/runs/0/results/0/level'), JSON.stringify(paths));
    assert.ok(paths.includes('/runs/0/results/1/locations/0/physicalLocation/region/startLine'));
    assert.equal(validate({ version: '2.1.0' }), false);
  });

  it('describes the tool and every catalogue rule', () => {
    const driver = toSarifLog([], { root: ROOT, docsBase: 'https://example.invalid/rules.md' })
      .runs[0].tool.driver;
    assert.equal(driver.name, 'rcu-lens');
    assert.equal(driver.version, packageJson.version);
    assert.ok(driver.informationUri);
    assert.deepEqual(
      driver.rules?.map((rule) => rule.id),
      RULES.map((rule) => rule.id),
    );
    const rule = driver.rules![RULES.findIndex((r) => r.id === 'sleep-in-rcu-reader')];
    assert.equal(
      rule.shortDescription?.text,
      RULES.find((r) => r.id === 'sleep-in-rcu-reader')!.summary,
    );
    assert.equal(rule.helpUri, 'https://example.invalid/rules.md#sleep-in-rcu-reader');
    assert.equal(rule.defaultConfiguration?.level, 'error');
    assert.match(rule.help?.text ?? '', /https:\/\/docs\.kernel\.org\/RCU\/whatisRCU\.html/);
  });

  it('locates results relative to %SRCROOT% with 1-based regions, related locations and fixes', () => {
    const run = toSarifLog(sampleReports(), { root: ROOT }).runs[0];
    const rules = run.tool.driver.rules!;
    const result = run.results!.find((r) => r.ruleId === 'free-without-grace-period')!;
    assert.equal(rules[result.ruleIndex!].id, 'free-without-grace-period');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations?.[0].physicalLocation?.artifactLocation, {
      uri: 'drivers/demo/demo%20list.c',
      uriBaseId: '%SRCROOT%',
    });
    assert.deepEqual(result.locations?.[0].physicalLocation?.region, {
      startLine: 43,
      startColumn: 2,
      endLine: 43,
      endColumn: 11,
    });
    assert.equal(result.relatedLocations?.[0].physicalLocation?.region?.startLine, 41);
    assert.equal(
      result.relatedLocations?.[0].message?.text,
      'list_del_rcu() unlinks the item here.',
    );
    const replacement = result.fixes?.[0].artifactChanges[0].replacements[0];
    assert.deepEqual(replacement?.insertedContent, { text: 'kfree_rcu(it, rcu)' });
    assert.deepEqual(replacement?.deletedRegion, {
      startLine: 43,
      startColumn: 2,
      endLine: 43,
      endColumn: 11,
    });
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%'].uri, 'file:///work/src/linux/');
  });

  it('keeps suppressed findings as results with an in-source suppression, and maps info to note', () => {
    const results = toSarifLog(sampleReports(), { root: ROOT }).runs[0].results!;
    assert.equal(results.length, 5);
    const suppressed = results.filter((r) => r.suppressions);
    assert.deepEqual(
      suppressed.map((r) => [r.ruleId, r.suppressions]),
      [['sleep-in-rcu-reader', [{ kind: 'inSource' }]]],
    );
    assert.equal(results.find((r) => r.ruleId === 'plain-traverse-on-rcu-list')?.level, 'note');
  });

  it('gives files outside the root an absolute file URI', () => {
    const log = toSarifLog([{ file: '/tmp/other/x.c', findings: sampleReports()[1].findings }], {
      root: ROOT,
    });
    assert.deepEqual(log.runs[0].results![0].locations?.[0].physicalLocation?.artifactLocation, {
      uri: 'file:///tmp/other/x.c',
    });
    assertValid(log);
  });
});
