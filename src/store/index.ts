// The store's public face: the database class and the repositories the UI and pipelines call.
export { CleanroomDb, openDb, DEFAULT_DB_NAME, type CleanroomDbOptions } from './db';
export { LATEST_SCHEMA_VERSION } from './versions';
export * from './types';
export * from './roots';
export * from './files';
export * from './instances';
export * from './aggregates';
export * from './runs';
export * from './settings';
export * from './crosswalk';
export { bulkPutInBatches } from './batch';
