/** ln(e^a + e^b) without overflow or underflow of the exponentials. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const max = a > b ? a : b;
  return max + Math.log1p(Math.exp(-Math.abs(a - b)));
}
