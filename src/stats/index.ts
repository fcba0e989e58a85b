export { type BootstrapOptions, bootstrapCI, DEFAULT_RESAMPLES, type Interval } from './bootstrap.js';
export { meanItems, rateItems, ratio, type StatItem, toClusters } from './clusters.js';
export {
  type PairedBootstrapResult,
  type PairedItem,
  type PermutationOptions,
  type PermutationResult,
  pairedBootstrap,
  pairedPermutation,
} from './paired.js';
export { quantileSorted } from './quantile.js';
export { disjointIntervals, type Ranked, rankWithTies } from './rank.js';
