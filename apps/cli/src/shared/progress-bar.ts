import { Presets, SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr with events/s and ETA. When stderr is not a terminal (CI, a pipe)
 * it prints a plain line every two seconds instead of redrawing.
 */
export function progressBar(label: string, unit = 'events'): SingleBar {
  return new SingleBar(
    {
      format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2_000,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
}
