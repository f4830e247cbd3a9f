/** SIZE and value-range constraints (X.680 51.5, 51.2), checked on decode and on encode. */
export type Size = number | readonly [min: number, max: number];

export function sizeBounds(size: Size | undefined): readonly [number, number] | undefined {
  if (size === undefined) return undefined;
  return typeof size === 'number' ? [size, size] : size;
}

export function sizeText(b: readonly [number, number]): string {
  if (b[0] === b[1]) return `SIZE(${b[0]})`;
  return `SIZE(${b[0]}..${b[1] === Infinity ? 'MAX' : b[1]})`;
}

/** Returns a reason when `n` violates the bounds. */
export function checkSize(
  b: readonly [number, number] | undefined,
  n: number,
  unit: string,
): string | undefined {
  if (b && (n < b[0] || n > b[1])) return `${sizeText(b)} violated: ${n} ${unit}`;
  return undefined;
}
