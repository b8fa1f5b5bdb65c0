// Progress of a seed run on stderr: a live bar on a terminal, a plain line every few seconds
// otherwise (CI logs and pipes would get a screenful of carriage returns from a bar).
import cliProgress from 'cli-progress';
import type { SeedProgress } from './run.js';

/** @default 2000 ms between plain progress lines. */
const LINE_INTERVAL_MS = 2000;

export type ProgressReporter = { update(progress: SeedProgress): void; stop(): void };

export function createProgressReporter(stream: NodeJS.WriteStream, totalRows: number): ProgressReporter {
  return stream.isTTY ? barReporter(stream, totalRows) : lineReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream, totalRows: number): ProgressReporter {
  const startedAt = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'seeding [{bar}] {percentage}% | {value}/{total} rows | {table} | {speed} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalRows, 0, { table: '', speed: 0 });
  return {
    update: (p) => {
      const speed = Math.round(p.rows / ((performance.now() - startedAt) / 1000));
      bar.update(p.rows, { table: `${p.table} ${p.tableRows}/${p.tableTotal}`, speed });
    },
    stop: () => bar.stop(),
  };
}

function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let lastLineAt = performance.now();
  return {
    update: (p) => {
      const isTableDone = p.tableRows === p.tableTotal;
      if (!isTableDone && performance.now() - lastLineAt < LINE_INTERVAL_MS) return;
      lastLineAt = performance.now();
      const percent = Math.floor((100 * p.rows) / p.totalRows);
      stream.write(`seed: ${p.table} ${p.tableRows}/${p.tableTotal}, ${p.rows}/${p.totalRows} rows (${percent}%)\n`);
    },
    stop: () => {
      // Each line is written whole: there is nothing to clear.
    },
  };
}
