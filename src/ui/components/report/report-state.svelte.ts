// The Report screen's state: the packages opened, the labels loaded, and the dataset report a worker
// builds from them (reading, leakage and duplicates off the page), with progress, time left and cancel.
import * as Comlink from 'comlink';
import { parseLabelsCsv, type LabelsCsv } from '../../../core/labels/labels-csv';
import { relabel } from '../../../core/labels/relabel';
import type { DatasetReport } from '../../../core/report/types';
import { isCancellation } from '../../../../workers/pool';
import type {
  ReportLabels,
  ReportPackages,
  ReportProgress,
  ReportWorkerApi,
} from '../../../../workers/report-api';
import { db } from '../../state/db';
import { reportWorker } from '../../state/pools';

/** 'north-001.zip', 'north-002.zip' → 'north': the volumes of one package are one site. */
export function siteOfZip(name: string): string {
  return name.replace(/\.zip$/i, '').replace(/-\d{3,4}$/, '');
}

/** The zips picked, grouped into one package per site, volumes in name order. */
export function packagesOf(files: readonly File[], key: string): ReportPackages {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, not state
  const bySite = new Map<string, File[]>();
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const site = siteOfZip(f.name);
    bySite.set(site, [...(bySite.get(site) ?? []), f]);
  }
  return { key, packages: [...bySite].map(([site, volumes]) => ({ site, volumes })) };
}

export interface LoadedLabels {
  csv: LabelsCsv;
  fileName: string;
  /** Rows of the packages whose key has a label. */
  matchedRows: number;
  /** True when the keys were original identifiers, mapped through this browser's crosswalk. */
  relabelled: boolean;
}

export interface ReportMeter extends ReportProgress {
  /** Seconds since this phase started (each phase has its own rate). */
  seconds: number;
}

type Remote = Comlink.Remote<ReportWorkerApi>;
type RemoteProgress = ((p: ReportProgress) => void) & Comlink.ProxyMarked;

/** A newer run (or a cancel) took over: this one's results are dropped. */
class Superseded extends Error {}

class ReportState {
  phase = $state<'empty' | 'reading' | 'ready' | 'failed' | 'cancelled'>('empty');
  packageNames = $state<string[]>([]);
  meter = $state.raw<ReportMeter | undefined>(undefined);
  error = $state('');
  labels = $state.raw<LoadedLabels | undefined>(undefined);
  report = $state.raw<DatasetReport | undefined>(undefined);
  thumbnails = $state.raw<Map<string, Uint8Array>>(new Map());
  unreadable = $state(0);
  labelProblems = $state.raw<{ line: number; message: string }[]>([]);
  #packages: ReportPackages | undefined;
  #run = 0;
  /** Labels loaded while a build ran: it builds again with them before it shows anything. */
  #labelsChanged = false;

  get busy(): boolean {
    return this.phase === 'reading';
  }

  /** Whether packages were opened, so the report can be built again after a cancel. */
  get canRebuild(): boolean {
    return this.#packages !== undefined;
  }

  /** Opens one or several package zips (the volumes of a package, or packages of several sites). */
  async openPackages(files: File[]): Promise<void> {
    if (files.length === 0) return;
    const run = this.#start();
    this.packageNames = files.map((f) => f.name).sort();
    this.#packages = packagesOf(files, `packages-${run}`);
    this.report = undefined;
    this.thumbnails = new Map();
    try {
      const summary = await this.#call(run, (api, p) => api.read(this.#packages!, p));
      this.unreadable = summary.unreadable;
      if (summary.labels && !this.labels) {
        this.labels = {
          csv: summary.labels,
          fileName: 'labels.csv in the package',
          matchedRows: 0,
          relabelled: false,
        };
      }
      if (summary.images === 0) {
        this.phase = 'failed';
        this.error = 'No DICOM image was found in what you chose. Choose the package zip file(s).';
        return;
      }
      await this.#build(run);
    } catch (e) {
      this.#fail(run, e);
    }
  }

  /** Loads a labels CSV: keys as the package has them, or original ones this browser's export can map. */
  async loadLabels(file: File): Promise<void> {
    const csv = parseLabelsCsv(await file.text());
    this.labelProblems = csv.problems;
    this.labels = { csv, fileName: file.name, matchedRows: 0, relabelled: false };
    if (this.busy) {
      // The running build picks them up before it shows its report.
      this.#labelsChanged = true;
      return;
    }
    if (this.#packages) await this.rebuild();
  }

  /** Builds the report again (after a cancel, or with new labels); reads the zips again if needed. */
  async rebuild(): Promise<void> {
    if (!this.#packages) return;
    const run = this.#start();
    try {
      await this.#build(run);
    } catch (e) {
      this.#fail(run, e);
    }
  }

  /** Stops the worker; what it had read is gone, so building again reads the zips again. */
  cancel(): void {
    if (!this.busy) return;
    this.#run++;
    reportWorker().cancel('the person cancelled the report');
    this.phase = 'cancelled';
    this.meter = undefined;
    this.report = undefined;
  }

  #start(): number {
    // A run still going is for packages or labels that were just replaced.
    if (this.busy) reportWorker().cancel('replaced by a newer report');
    const run = ++this.#run;
    this.phase = 'reading';
    this.error = '';
    this.meter = undefined;
    this.#labelsChanged = false;
    return run;
  }

  #fail(run: number, e: unknown): void {
    if (run !== this.#run || e instanceof Superseded || isCancellation(e)) return;
    this.phase = 'failed';
    this.error = `The package could not be read (${(e as Error).name}).`;
  }

  /** One call to the report worker, its progress shown with a per-phase clock. */
  async #call<R>(run: number, task: (api: Remote, progress: RemoteProgress) => Promise<R>) {
    let phaseStarted = Date.now();
    const progress = Comlink.proxy((p: ReportProgress) => {
      if (run !== this.#run) return;
      if (p.phase !== this.meter?.phase) phaseStarted = Date.now();
      this.meter = { ...p, seconds: (Date.now() - phaseStarted) / 1000 };
    });
    const result = await reportWorker().run((api) => task(api, progress));
    if (run !== this.#run) throw new Superseded();
    return result;
  }

  /** How many images the labels name; original identifiers are mapped through the crosswalk. */
  async #matchLabels(run: number): Promise<void> {
    const l = this.labels;
    const job = this.#packages;
    if (!l || !job) return;
    const count = (labels: ReadonlyMap<string, string>) =>
      this.#call(run, (api, p) =>
        api.countLabelled(job, { labels, keyColumn: l.csv.keyColumn } as ReportLabels, p),
      );
    const matched = await count(l.csv.labels);
    if (matched === 0 && l.csv.labels.size > 0 && l.csv.keyColumn !== 'AccessionNumber') {
      // Original identifiers at the site that exported: map them through the crosswalk kept here.
      const crosswalk =
        l.csv.keyColumn === 'PatientID'
          ? { patients: await db.pseudonyms.toArray() }
          : { uids: await db.uidMap.toArray() };
      const mapped = relabel(l.csv, crosswalk);
      const again = await count(mapped.labels);
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

  async #build(run: number): Promise<void> {
    const job = this.#packages!;
    for (;;) {
      this.#labelsChanged = false;
      await this.#matchLabels(run);
      const l = this.labels;
      const outcome = await this.#call(run, (api, p) =>
        api.build(
          job,
          {
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
          },
          p,
        ),
      );
      if (this.#labelsChanged) continue;
      this.unreadable = outcome.summary.unreadable;
      this.thumbnails = outcome.thumbnails;
      this.report = outcome.report;
      this.meter = undefined;
      this.phase = 'ready';
      return;
    }
  }
}

export const reportState = new ReportState();
