/**
 * A progress bar on stderr while a scan runs, drawn by cli-progress, only when stderr is a terminal:
 * accounts and account×region pairs done, failed and remaining. Piped or redirected stderr gets none.
 */
import { SingleBar } from 'cli-progress';

import type { ScanProgress } from './scan-accounts';

/** A progress bar, or nothing. */
export interface ScanProgressBar {
  /** Redraws with the latest counts. */
  update(progress: ScanProgress): void;
  /** Removes the bar, leaving the terminal as it was. */
  stop(): void;
}

/**
 * Starts a bar on `stream` when it is a terminal.
 *
 * @param stream - stderr
 * @returns a bar, or a bar that draws nothing when `stream` is not a terminal
 */
export function startScanProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }): ScanProgressBar {
  if (stream.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format:
      'scanning {bar} {value}/{total} regions ({pairsFailed} failed) | accounts {accountsDone}/{accounts} ({accountsFailed} failed)',
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(0, 0, { pairsFailed: 0, accountsDone: 0, accounts: 0, accountsFailed: 0 });
  return {
    update: (p) => {
      bar.setTotal(p.pairs);
      bar.update(p.pairsDone, { ...p });
    },
    stop: () => bar.stop(),
  };
}
