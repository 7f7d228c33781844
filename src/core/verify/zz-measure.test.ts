import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deidentify } from '../deid/apply';
import { importSecret } from '../deid/keyed-hash';
import { readDicomFile } from '../dicom/read';
import { textElement } from '../dicom/element';
import { writeDicomFile } from '../dicom/write';
import { buildManifest, formatManifestJson, type ManifestFile } from '../package/manifest';
import { sha256Hex } from '../package/sha256';
import { zipEntries } from '../package/zip';
import { compileProfile } from '../profile/compile-profile';
import { defaultRecipe, recipeHash } from '../profile/recipe';
import { zipSource } from './source';
import { verifyPackage } from './verify-package';
import { readZipEntries } from '../package/read-zip';

it('measure', async () => {
  const recipe = defaultRecipe();
  const profile = compileProfile(recipe.deid.options, recipe.deid.allowList);
  const secret = await importSecret(new TextEncoder().encode('m'));
  const file = await readDicomFile(new Uint8Array(readFileSync(new URL('../../../test-data/dicom-samples/CT_small.dcm', import.meta.url))));
  const result = await deidentify(file, { profile, secret, pseudonym: 'SITE-000001', dateShiftDays: -10, uidCache: new Map() });
  const N = Number(process.env.N ?? 2000);
  const big = new Uint8Array(Number(process.env.PX ?? 512 * 512 * 2));
  result.dataset.set(0x7fe00010, { tag: 0x7fe00010, vr: 'OW', bytes: big });
  const entries: { name: string; data: Uint8Array }[] = [];
  const files: ManifestFile[] = [];
  for (let i = 0; i < N; i++) {
    result.dataset.set(0x00080018, textElement(0x00080018, 'UI', `2.25.${1000 + i}`));
    const data = writeDicomFile({ meta: result.meta, dataset: result.dataset, transferSyntaxUID: result.transferSyntaxUID });
    const path = `SITE-000001/01/0001_CT/${String(i).padStart(5, '0')}.dcm`;
    entries.push({ name: path, data });
    files.push({ path, size: data.length, sha256: await sha256Hex(data) });
  }
  const manifest = await buildManifest({ appVersion: 't', createdAt: 'x', recipe, recipeSha256: await recipeHash(recipe), options: profile.methodCodes.map((c) => ({ code: c.value })), files });
  entries.push({ name: 'manifest.json', data: new TextEncoder().encode(formatManifestJson(manifest)) });
  entries.push({ name: 'recipe.json', data: new TextEncoder().encode(JSON.stringify(recipe)) });
  const chunks: Uint8Array[] = [];
  for await (const c of zipEntries(entries)) chunks.push(c);
  const blob = new Blob(chunks as BlobPart[]);
  entries.length = 0; chunks.length = 0;
  let t = performance.now();
  let bytes = 0;
  for await (const e of readZipEntries(blob)) { const d = await e.data(); bytes += d.length; await sha256Hex(d); }
  const floor = performance.now() - t;
  t = performance.now();
  const report = await verifyPackage(zipSource([blob]));
  const ms = performance.now() - t;
  console.log(`files ${N} MB ${(bytes / 1e6).toFixed(0)} verdict ${report.verdict} verify ${ms.toFixed(0)} ms = ${(N / ms * 1000).toFixed(0)} files/s ${(bytes / 1e3 / ms).toFixed(0)} MB/s; floor (read+sha) ${floor.toFixed(0)} ms = ${(bytes / 1e3 / floor).toFixed(0)} MB/s; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}, 300000);
