// The shapes the dataset report works on and gives back: rows of retained values, image digests, the report.

/**
 * One row of the de-identified data: an instance (or a series). Keys are the package's own
 * pseudonymous identifiers; `values` holds retained elements only, keyword (or element path) → value
 * as the app's dump shows it (text decoded, numbers as numbers, multiple values joined by '\').
 */
export interface ReportRow {
  /** Pseudonymous PatientID. */
  patient: string;
  study?: string;
  series?: string;
  instance?: string;
  /** Which site (package) the row came from. */
  site?: string;
  values: Readonly<Record<string, string>>;
}

/** What is known about one image's pixels, for duplicate finding. */
export interface ImageDigest {
  /** Entry path in the package (or any stable name). */
  path: string;
  patient: string;
  study?: string;
  series?: string;
  instance?: string;
  /** SHA-256 (hex) of the PixelData value bytes as stored. */
  pixelSha256?: string;
  /** 64-bit perceptual hash as 16 hex digits; absent when the frame could not be decoded or is blank. */
  phash?: string;
  /** Set when the frame is (nearly) one flat grey: such frames are never called near-duplicates. */
  blank?: boolean;
}

export interface CountRow {
  key: string;
  instances: number;
  series: number;
  patients: number;
}

export interface Composition {
  totals: { sites: number; patients: number; studies: number; series: number; instances: number };
  /** Dimension name ('site', 'Modality', 'Manufacturer / model', 'SOP class', 'BodyPartExamined', 'SliceThickness', 'PatientSex', 'Age band', 'label') → counts, most first. */
  dimensions: { name: string; rows: CountRow[] }[];
  /** Per label: share of patients and of instances. Empty without labels. */
  prevalence: {
    label: string;
    patients: number;
    patientShare: number;
    instances: number;
    instanceShare: number;
  }[];
  /** The recipe's expected figures beside the actual ones. */
  expected: ExpectedRow[];
}

export interface ExpectedRow {
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export type FeatureKind = 'categorical' | 'numeric';

export interface LeakageScore {
  /** Element keyword or path, or a derived feature: 'AcquisitionTime (time of day)', 'StudyDate (days from first study)'. */
  feature: string;
  kind: FeatureKind;
  /** Rows with a value (present), of all rows scored. */
  present: number;
  distinct: number;
  /** Single-feature AUC, direction-free (0.5 = no signal, 1 = perfect); one-vs-rest mean for more than two labels. */
  auc: number;
  /** Mean AUC of the same feature with the labels shuffled (the chance level for this feature's cardinality). */
  aucBaseline: number;
  /** Mutual information with the label, in bits. */
  mi: number;
  miBaseline: number;
  /** (mi − mean shuffled mi) / sd shuffled mi. */
  miZ: number;
  /** Permutation p-value of the AUC: (1 + shuffles at least as high) / (1 + shuffles). */
  p: number;
  /** auc − aucBaseline: what the ranking sorts by. */
  lift: number;
  /** p below the report's alpha and lift above its minimum. */
  flagged: boolean;
}

export interface Leakage {
  /** Rows that had a label. */
  rows: number;
  labels: string[];
  permutations: number;
  seed: number;
  /** Whether labels were shuffled between patients (labels constant per patient) or between rows. */
  shuffledBy: 'patient' | 'row';
  alpha: number;
  /** Scored features, highest lift first. */
  scores: LeakageScore[];
  /** Categorical elements with about one value per row (UIDs, serial numbers): not scored, see README. */
  identifierLike: { feature: string; distinct: number; present: number }[];
  /** Features with one value everywhere. */
  constant: string[];
}

export interface DuplicatePair {
  kind: 'exact' | 'near';
  /** Hamming distance of the perceptual hashes (0 for exact pairs with hashes). */
  distance: number;
  a: ImageDigest;
  b: ImageDigest;
  /** 'different patients' or 'same patient, different studies'. */
  scope: 'patients' | 'studies';
}

export interface Duplicates {
  images: number;
  hashed: number;
  blank: number;
  threshold: number;
  pairs: DuplicatePair[];
  /** Pairs beyond `maxPairs` that were counted but not listed. */
  omittedPairs: number;
}

export type SplitName = 'train' | 'validation' | 'test';

export interface SplitSummary {
  seed: number;
  ratios: Record<SplitName, number>;
  /** Per split: patients, and patients per label. */
  counts: Record<SplitName, { patients: number; byLabel: Record<string, number> }>;
}

export interface DatasetReport {
  format: 'cleanroom-dataset-report';
  formatVersion: 1;
  /** Caller-given text (never the clock), e.g. the package's date. */
  createdAt?: string;
  title: string;
  labelColumn?: string;
  labelKey?: string;
  composition: Composition;
  leakage?: Leakage;
  duplicates: Duplicates;
  split?: SplitSummary;
  notes: string[];
}
