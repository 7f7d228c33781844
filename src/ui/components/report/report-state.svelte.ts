// The Report screen's state: the packages opened, the labels loaded, and the dataset report built from them.
import { parseLabelsCsv, type LabelsCsv } from '../../../core/labels/labels-csv';
import { relabel } from '../../../core/labels/relabel';
import { buildDatasetReport, labelKeyOf } from '../../../core/report/build-report';
import { readPackageForReport, type PackageReportInput } from '../../../core/report/package-input';
import type { DatasetReport, ImageDigest, ReportRow } from '../../../core/report/types';
import { zipSource } from '../../../core/verify/source';
import type { Recipe } from '../../../core/profile/recipe';
import { db } from '../../state/db';

/** 'north-001.zip', 'north-002.zip' → 'north': the volumes of one package are one site. */
export function siteOfZip(name: string): string {
  return name.replace(/\.zip$/i, '').replace(/-\d{3,4}$/, '');
}

export interface LoadedLabels {
  csv: LabelsCsv;
  fileName: string;
  /** Rows of the packages whose key has a label. */
  matchedRows: number;
  /** True when the keys were original identifiers, mapped through this browser's crosswalk. */
  relabelled: boolean;
}

class ReportState {
  phase = $state<'empty' | 'reading' | 'ready' | 'failed'>('empty');
  packageNames = $state<string[]>([]);
  read = $state(0);
  error = $state('');
  labels = $state.raw<LoadedLabels | undefined>(undefined);
  report = $state.raw<DatasetReport | undefined>(undefined);
  thumbnails = $state.raw<Map<string, Uint8Array>>(new Map());
  unreadable = $state(0);
  labelProblems = $state.raw<{ line: number; message: string }[]>([]);
  private rows: ReportRow[] = [];
  private images: ImageDigest[] = [];
  private recipe: Recipe | undefined;

  /** Opens one or several package zips (the volumes of a package, or packages of several sites). */
  async openPackages(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.phase = 'reading';
    this.error = '';
    this.read = 0;
    this.packageNames = files.map((f) => f.name).sort();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, not state
    const bySite = new Map<string, File[]>();
    for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const site = siteOfZip(f.name);
      bySite.set(site, [...(bySite.get(site) ?? []), f]);
    }
    try {
      const rows: ReportRow[] = [];
      const images: ImageDigest[] = [];
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated once shown
      const thumbnails = new Map<string, Uint8Array>();
      let unreadable = 0;
      let packageLabels: LabelsCsv | undefined;
      let recipe: Recipe | undefined;
      for (const [site, blobs] of bySite) {
        const input: PackageReportInput = await readPackageForReport(zipSource(blobs), {
          site,
          onProgress: () => this.read++,
        });
        rows.push(...input.rows);
        images.push(...input.images.map((im) => ({ ...im, path: `${site}: ${im.path}` })));
        for (const [path, t] of input.thumbnails) thumbnails.set(`${site}: ${path}`, t);
        unreadable += input.unreadable;
        packageLabels ??= input.labels;
        recipe ??= input.recipe;
      }
      this.rows = rows;
      this.images = images;
      this.recipe = recipe;
      this.thumbnails = thumbnails;
      this.unreadable = unreadable;
      if (packageLabels && !this.labels) {
        this.labels = {
          csv: packageLabels,
          fileName: 'labels.csv in the package',
          matchedRows: 0,
          relabelled: false,
        };
      }
      if (rows.length === 0) {
        this.phase = 'failed';
        this.error = 'No DICOM image was found in what you chose. Choose the package zip file(s).';
        return;
      }
      await this.rebuild();
    } catch (e) {
      this.phase = 'failed';
      this.error = `The package could not be read (${(e as Error).name}).`;
    }
  }

  /** Loads a labels CSV: keys as the package has them, or original ones this browser's export can map. */
  async loadLabels(file: File): Promise<void> {
    const csv = parseLabelsCsv(await file.text());
    this.labelProblems = csv.problems;
    this.labels = { csv, fileName: file.name, matchedRows: 0, relabelled: false };
    if (this.rows.length) await this.rebuild();
  }

  private async matchLabels(): Promise<void> {
    const l = this.labels;
    if (!l) return;
    const count = (labels: ReadonlyMap<string, string>) =>
      this.rows.filter((r) => {
        const k = labelKeyOf(r, l.csv.keyColumn);
        return k !== undefined && labels.has(k);
      }).length;
    const matched = count(l.csv.labels);
    if (matched === 0 && l.csv.labels.size > 0 && l.csv.keyColumn !== 'AccessionNumber') {
      // Original identifiers at the site that exported: map them through the crosswalk kept here.
      const crosswalk =
        l.csv.keyColumn === 'PatientID'
          ? { patients: await db.pseudonyms.toArray() }
          : { uids: await db.uidMap.toArray() };
      const mapped = relabel(l.csv, crosswalk);
      const again = count(mapped.labels);
      if (again > 0) {
        this.labels = {
          ...l,
          csv: { ...l.csv, labels: mapped.labels },
          matchedRows: again,
          relabelled: true,
        };
        return;
      }
    }
    this.labels = { ...l, matchedRows: matched };
  }

  async rebuild(): Promise<void> {
    await this.matchLabels();
    const l = this.labels;
    this.report = buildDatasetReport({
      title: this.recipe?.name ? `Dataset report: ${this.recipe.name}` : 'Dataset report',
      rows: this.rows,
      images: this.images,
      recipe: this.recipe,
      ...(l && l.matchedRows > 0
        ? {
            labels: {
              labels: l.csv.labels,
              keyColumn: l.csv.keyColumn,
              labelColumn: l.csv.labelColumn,
            },
          }
        : {}),
      leakage: { permutations: 200, seed: 1 },
    });
    this.phase = 'ready';
  }
}

export const reportState = new ReportState();
