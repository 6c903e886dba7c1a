/** The most calls that arrived within any window of `ms` (half-open), at the fake API. */
export function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  sorted.forEach((time, last) => {
    while ((sorted[first] ?? time) <= time - ms) first += 1;
    most = Math.max(most, last - first + 1);
  });
  return most;
}
