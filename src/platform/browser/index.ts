// The browser platform: folder picker, permissions, lazy walks, file-input and drop fallbacks, OPFS sample.
export { canPickDirectory, pickDirectory, PickerUnavailableError } from './pick-directory';
export { ensurePermission, probeHandle, type HandleState } from './permission';
export {
  walkDirectory,
  walkDirectoryInBatches,
  comparePaths,
  type BrowserWalkEntry,
  type BrowserFileEntry,
  type BrowserRejectedEntry,
} from './walk-directory';
export { filesFromInput, filesFromDrop, directoryHandleFromDrop } from './file-input';
export { writeSampleToOpfs, SAMPLE_FOLDER } from './sample-opfs';
