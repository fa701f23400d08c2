// How a simulation's trials are split into chunks for the page's workers (a chunk is one call).

/**
 * Trial numbers 0..trials-1 in consecutive chunks for `workers` workers: at least six chunks a
 * worker, of at most 10 trials, and towards the end none larger than what is left divided by twice
 * the number of workers, so the workers finish within about a trial of each other.
 */
export function chunksOf(trials: number, workers: number): number[][] {
  const largest = Math.max(1, Math.min(10, Math.ceil(trials / (workers * 6))));
  const chunks: number[][] = [];
  for (let first = 0; first < trials; ) {
    const size = Math.max(1, Math.min(largest, Math.ceil((trials - first) / (workers * 2))));
    chunks.push(Array.from({ length: size }, (_, i) => first + i));
    first += size;
  }
  return chunks;
}
