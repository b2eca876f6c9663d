/** Median wall time of `fn` over `runs` runs after `warmup` runs, in milliseconds. */
export function medianMs(fn: () => unknown, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) {
    fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints one aligned result row: name, figure, and the ratio to a baseline when given. */
export function report(name: string, figure: string, ratio?: { value: number; against: string }): void {
  const tail = ratio ? `  ratio ${ratio.value.toFixed(2)} of ${ratio.against}` : '';
  console.log(`${name.padEnd(44)} ${figure.padStart(18)}${tail}`);
}
