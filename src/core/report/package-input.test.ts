// Reading a package for the report: one row per DICOM entry with its retained values, pixel digests, labels.csv and recipe.
import { describe, expect, it } from 'vitest';
import { defaultRecipe } from '../profile/recipe';
import { generateSampleSet } from '../sample/sample-set';
import { blobSource } from '../verify/source';
import { readPackageForReport } from './package-input';

describe('readPackageForReport', () => {
  it('reads rows, pixel hashes and the package documents; unreadable entries are counted', async () => {
    const sample = generateSampleSet(1);
    const files = sample.files
      .filter((f) => f.path.includes('/') && !f.path.endsWith('DICOMDIR'))
      .map((f) => ({ name: f.path, blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) }));
    files.push(
      { name: 'labels.csv', blob: new Blob(['PatientID,label\nMRN-QX-731904,pos\n']) },
      { name: 'recipe.json', blob: new Blob([JSON.stringify(defaultRecipe())]) },
    );
    const input = await readPackageForReport(blobSource(files), { site: 'North' });
    expect(input.rows.length).toBe(sample.expected.instances);
    expect(input.unreadable).toBe(files.length - 2 - sample.expected.instances);
    expect(input.rows.every((r) => r.site === 'North' && r.patient !== '')).toBe(true);
    const ct = input.rows.find((r) => r.values.Modality === 'CT')!;
    expect(ct.values.SliceThickness).toMatch(/^\d/);
    expect(ct.values.PixelData).toBeUndefined();
    expect(input.labels?.labels.get('MRN-QX-731904')).toBe('pos');
    expect(input.recipe?.name).toBe(defaultRecipe().name);
    expect(input.images.every((im) => /^[0-9a-f]{64}$/.test(im.pixelSha256!))).toBe(true);
    // Every sample image is uncompressed: each gets a perceptual hash and a thumbnail.
    expect(input.images.filter((im) => im.phash).length).toBe(input.images.length);
    expect(input.thumbnails.size).toBe(input.images.length);
  });
});
