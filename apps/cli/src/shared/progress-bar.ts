import { Presets, SingleBar } from 'cli-progress';

/**
 * A progress bar on stderr with a rate and ETA. When stderr is not a terminal (CI, a pipe)
 * it prints a plain line every two seconds instead of redrawing. `rateUnit` is what the
 * `rate` payload counts when it is not the progress unit (an import advances by bytes read,
 * since the number of lines is not known in advance, and reports touchpoints/s).
 */
export function progressBar(label: string, unit = 'events', rateUnit = unit): SingleBar {
  return new SingleBar(
    {
      format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${rateUnit}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2_000,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
}
