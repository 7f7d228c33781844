// Test-only: a package of a small generated CT series, written by the real export pipeline with
// the de-identification worker's API in this thread. Verify's tests start from it.
import { readDicomFile } from '../core/dicom/read';
import { indexRow } from '../core/inventory';
import { defaultRecipe, recipeHash } from '../core/profile/recipe';
import { generateCtSeries } from '../core/sample/ct-series';
import { deidWorkerApi } from '../../workers/deid-api';
import { planExport } from './export-plan';
import { runExport } from './export';

export interface GeneratedPackageOptions {
  slices: number;
  /** Rows and columns of each slice. */
  size: number;
  seed: number;
  /** The project secret: 32 bytes of this value. */
  secretByte: number;
}

/** The one volume (volume size 1 GiB) of a package named site-a, as bytes. */
export async function exportGeneratedPackage(
  options: GeneratedPackageOptions,
): Promise<Uint8Array> {
  const { slices, size, seed, secretByte } = options;
  const rows = [];
  const bytes = new Map<string, Uint8Array>();
  for (const f of generateCtSeries({ slices, rows: size, columns: size, seed })) {
    rows.push({ ...indexRow(await readDicomFile(f.bytes), f.path), fileId: f.path });
    bytes.set(f.path, f.bytes);
  }
  const recipe = defaultRecipe();
  recipe.package = { ...recipe.package, name: 'site-a', volumeSize: '1GiB' };
  const plan = await planExport(
    rows,
    recipe,
    new Uint8Array(32).fill(secretByte),
    async (r) => bytes.get(r.fileId)!.slice().buffer,
    'test',
  );
  const parts: Uint8Array[] = [];
  await runExport({
    planned: plan.planned,
    setup: plan.setup,
    deid: (job) => deidWorkerApi.deidentifyFile(job),
    window: 2,
    recipe,
    recipeSha256: await recipeHash(recipe),
    appVersion: 'test',
    writeVolume: async (_name, chunks) => {
      for await (const c of chunks) parts.push(c.slice());
    },
  });
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}
