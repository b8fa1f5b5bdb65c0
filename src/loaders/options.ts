// How loaders are made. Apart from index.ts so that each loader module can take the options
// without importing index.ts, which imports every loader module.

export type LoaderOptions = {
  /** false: one key per statement (the bench's "naive" server, to measure what batching buys). */
  batch: boolean;
};
