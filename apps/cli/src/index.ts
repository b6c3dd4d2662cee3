/** What other apps (the platform's demo) may use of the CLI. */
export { startOfTodayUtc } from './demo-data/demo-data.cli';
