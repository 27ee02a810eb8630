/**
 * Everything a benchmark starts is stopped by its own handle (pid), in reverse order: at its end, on an error, and on
 * Ctrl-C or SIGTERM. `stops` takes a stop function per thing started; `cleanup()` runs them once.
 */
export function stopOnExit(log: (line: string) => void) {
  const stops: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  function cleanup(): Promise<void> {
    cleaning ??= (async () => {
      for (const fn of stops.reverse()) {
        try {
          await fn();
        } catch (error) {
          log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return cleaning;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping everything this benchmark started`);
      void cleanup().then(() => process.exit(130));
    });
  }
  return { stops, cleanup };
}
