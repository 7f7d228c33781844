// A package written by the real de-identification engine from the repository's sample files passes verification.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deidentify } from '../deid/apply';
import { importSecret } from '../deid/keyed-hash';
import { readDicomFile } from '../dicom/read';
import { writeDicomFile } from '../dicom/write';
import { buildManifest, formatManifestJson, type ManifestFile } from '../package/manifest';
import { sha256Hex } from '../package/sha256';
import { zipEntries } from '../package/zip';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe, recipeHash, type Recipe } from '../profile/recipe';
import { zipSource } from './source';
import { verifyPackage } from './verify-package';

/** CT, MR (explicit and implicit VR), a secondary capture and a JPEG 2000 image with nested sequences. */
const SAMPLES = [
  'CT_small.dcm',
  'MR_small.dcm',
  'MR_small_implicit.dcm',
  'SC_rgb_jpeg.dcm',
  'JPEG2000.dcm',
];

async function enginePackage(recipe: Recipe): Promise<Blob> {
  const profile = compileProfile(recipe.deid.options, recipe.deid.allowList);
  const secret = await importSecret(new TextEncoder().encode('verify engine test'));
  const uidCache = new Map<string, string>();
  const entries: { name: string; data: Uint8Array }[] = [];
  const files: ManifestFile[] = [];
  for (const [n, name] of SAMPLES.entries()) {
    const url = new URL(`../../../test-data/dicom-samples/${name}`, import.meta.url);
    const file = await readDicomFile(new Uint8Array(readFileSync(url)));
    const result = await deidentify(file, {
      profile,
      secret,
      pseudonym: 'SITE-000001',
      dateShiftDays: -10,
      uidCache,
    });
    const data = writeDicomFile({
      meta: result.meta,
      dataset: result.dataset,
      transferSyntaxUID: result.transferSyntaxUID,
    });
    const path = `SITE-000001/01/${String(n + 1).padStart(4, '0')}_X/00001.dcm`;
    entries.push({ name: path, data });
    files.push({ path, size: data.length, sha256: await sha256Hex(data) });
  }
  const manifest = await buildManifest({
    appVersion: 'test',
    createdAt: '1980-01-01T00:00:00Z',
    recipe,
    recipeSha256: await recipeHash(recipe),
    options: profile.methodCodes.map((c) => ({ code: c.value })),
    files,
  });
  const encoder = new TextEncoder();
  entries.push({ name: 'manifest.json', data: encoder.encode(formatManifestJson(manifest)) });
  entries.push({ name: 'recipe.json', data: encoder.encode(JSON.stringify(recipe, null, 2)) });
  const chunks: Uint8Array[] = [];
  for await (const chunk of zipEntries(entries)) chunks.push(chunk);
  return new Blob(chunks as BlobPart[]);
}

describe('verifyPackage on a package the engine wrote', () => {
  for (const retainSafePrivate of [false, true]) {
    it(`passes every check (Retain Safe Private ${retainSafePrivate ? 'on' : 'off'})`, async () => {
      const recipe = defaultRecipe();
      recipe.deid.options.retainSafePrivate = retainSafePrivate;
      const report = await verifyPackage(zipSource([await enginePackage(recipe)]));
      const failures = report.checks.flatMap((c) =>
        c.findings.filter((f) => f.severity === 'fail'),
      );
      expect(failures).toEqual([]);
      expect(report.verdict).toBe('pass');
      for (const c of report.checks) {
        expect(c.status).toBe(c.id === 'pixels-ocr' ? 'not-run' : 'pass');
      }
      expect(report.dicomFiles).toBe(SAMPLES.length);
      expect(
        report.checks.find((c) => c.id === 'elements-allowed')!.counts.checked,
      ).toBeGreaterThan(300);
    });
  }
});
