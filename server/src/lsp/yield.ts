/** Resolves after pending I/O callbacks ran, so long work lets requests and changes in. */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
