// Tests for the package manifest: JSON and CSV shape, totals, recipe hash, CID 7050 codes, determinism.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../csv/csv';
import {
  buildManifest,
  canonicalJson,
  formatManifestCsv,
  formatManifestJson,
  hashRecipe,
  MANIFEST_CSV_COLUMNS,
  ManifestError,
  type ManifestInput,
} from './manifest';

const sha = (c: string) => c.repeat(64);

function input(): ManifestInput {
  return {
    appVersion: '0.1.0',
    createdAt: '2024-05-01T00:00:00Z',
    recipe: { version: 1, profile: { options: ['113100', '113101'] }, layout: 'default' },
    options: [{ code: '113100' }, { code: '113101' }],
    reviewGate: { passed: true, sampledInstances: 20, flaggedInstances: 1, resolvedInstances: 1 },
    redactionLog: [
      {
        path: 'P0001/01/0001_US/00001.dcm',
        frame: 0,
        regions: [{ x: 0, y: 0, width: 100, height: 40 }],
        source: 'ocr',
      },
    ],
    uniqueValues: { StudyDescription: [{ value: 'CT CHEST', count: 3 }] },
    files: [
      {
        path: 'P0001/01/0001_CT/00001.dcm',
        size: 100,
        sha256: sha('a'),
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
        Modality: 'CT',
        patient: 'P0001',
        study: 'S1',
        series: 'S1.1',
      },
      {
        path: 'P0001/01/0001_CT/00002.dcm',
        size: 200,
        sha256: sha('b'),
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
        Modality: 'CT',
        patient: 'P0001',
        study: 'S1',
        series: 'S1.1',
      },
      {
        path: 'P0002/01/0001_US/00001.dcm',
        size: 50,
        sha256: sha('c'),
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.6.1',
        Modality: 'US',
        patient: 'P0002',
        study: 'S1',
        series: 'S1.1',
      },
    ],
  };
}

describe('manifest', () => {
  it('JSON shape: format, version, createdAt from the caller, recipe with its SHA-256, CID 7050 options, totals, files', async () => {
    const m = JSON.parse(formatManifestJson(await buildManifest(input())));
    expect(Object.keys(m)).toEqual([
      'format',
      'formatVersion',
      'appVersion',
      'createdAt',
      'recipe',
      'deidentificationMethod',
      'totals',
      'reviewGate',
      'redactionLog',
      'uniqueValues',
      'files',
    ]);
    expect(m.format).toBe('cleanroom-package-manifest');
    expect(m.createdAt).toBe('2024-05-01T00:00:00Z');
    expect(m.recipe.sha256).toBe(await hashRecipe(input().recipe));
    expect(m.recipe.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.deidentificationMethod).toEqual([
      {
        codeValue: '113100',
        codingSchemeDesignator: 'DCM',
        codeMeaning: 'Basic Application Confidentiality Profile',
      },
      {
        codeValue: '113101',
        codingSchemeDesignator: 'DCM',
        codeMeaning: 'Clean Pixel Data Option',
      },
    ]);
    expect(m.totals).toEqual({
      files: 3,
      bytes: 350,
      patients: 2,
      studies: 2,
      series: 2,
      byModality: { CT: { files: 2, bytes: 300 }, US: { files: 1, bytes: 50 } },
    });
    expect(m.files[0]).toEqual({ ...input().files[0] });
    expect(m.reviewGate.passed).toBe(true);
    expect(m.redactionLog[0].regions[0].width).toBe(100);
  });

  it('CSV shape: header row, one row per file in package order, LF line ends, RFC 4180 quoting', async () => {
    const i = input();
    i.files[2].series = 'has,comma "and quote"';
    const csv = formatManifestCsv(await buildManifest(i));
    expect(csv.endsWith('\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...MANIFEST_CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual([
      'P0001/01/0001_CT/00001.dcm',
      '100',
      sha('a'),
      '1.2.840.10008.5.1.4.1.1.2',
      'CT',
      'P0001',
      'S1',
      'S1.1',
      '',
    ]);
    expect(rows[3][7]).toBe('has,comma "and quote"');
  });

  it('is byte-identical for the same input, whatever the key order of the opaque objects', async () => {
    const a = input();
    const b = input();
    b.recipe = { layout: 'default', profile: { options: ['113100', '113101'] }, version: 1 };
    b.reviewGate = {
      resolvedInstances: 1,
      flaggedInstances: 1,
      sampledInstances: 20,
      passed: true,
    };
    expect(formatManifestJson(await buildManifest(a))).toBe(
      formatManifestJson(await buildManifest(b)),
    );
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('uses the recipe hash the caller gives, when given', async () => {
    const m = await buildManifest({ ...input(), recipeSha256: sha('f') });
    expect(m.recipe.sha256).toBe(sha('f'));
  });

  it('refuses an option code outside CID 7050, a duplicate path and a malformed hash', async () => {
    await expect(
      buildManifest({ ...input(), options: [{ code: '999999' }] }),
    ).rejects.toBeInstanceOf(ManifestError);
    const dup = input();
    dup.files.push({ ...dup.files[0] });
    await expect(buildManifest(dup)).rejects.toThrow(/appears twice/);
    const bad = input();
    bad.files[0].sha256 = 'XYZ';
    await expect(buildManifest(bad)).rejects.toThrow(/sha256/);
  });

  it('optional parts are left out when not given', async () => {
    const m = await buildManifest({
      appVersion: '0.1.0',
      createdAt: '2024-01-01',
      recipe: {},
      files: [],
    });
    expect(Object.keys(m)).not.toContain('reviewGate');
    expect(m.totals).toEqual({
      files: 0,
      bytes: 0,
      patients: 0,
      studies: 0,
      series: 0,
      byModality: {},
    });
  });
});
