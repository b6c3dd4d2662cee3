/** Sum of a Prometheus counter over all its label sets, scraped from /metrics. */
export async function scrapeCounter(
  url: string,
  headers: Record<string, string>,
  name: string,
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest.startsWith(' ') || rest.startsWith('{')) sum += Number(line.split(' ').pop());
  }
  return sum;
}
