// The dataset report's public surface.
export * from './types';
export {
  buildDatasetReport,
  formatReportJson,
  labelKeyOf,
  type DatasetReportInput,
} from './build-report';
export { reportHtml } from './report-html';
export { barChartSvg, escapeXml, type Bar } from './chart';
export { buildComposition, ageBand, sliceThicknessBin } from './composition';
export { scoreLeakage, type LeakageOptions } from './leakage';
export { findDuplicates, type DuplicateOptions } from './duplicates';
export { perceptualHash, hammingDistance, THUMB } from './perceptual-hash';
export {
  splitPatients,
  formatSplitCsv,
  SPLITS,
  type PatientSplit,
  type SplitInput,
  type SplitOptions,
} from './split';
export {
  datasetLicence,
  renderLicence,
  renderReadme,
  readmeValues,
  DEFAULT_README,
  type ReadmeValues,
} from './licence';
export {
  readPackageForReport,
  type PackageReportInput,
  type PackageReadOptions,
} from './package-input';
export { nativeGray8 } from './native-gray';
