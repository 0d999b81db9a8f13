/**
 * Numbers in ascending order, as a new `Float64Array` — the same order as the typed array's own
 * `sort()`, made faster for the long lists a report sorts (a million events' durations, each
 * group's list sorted for its median, p90 and mean: ~0.1 s by `sort()`, a third of that by
 * this).
 *
 * How: a non-negative double's bits, read as an unsigned 64-bit integer, are in the order of
 * its value, so the list is sorted by its bytes, least significant first (a radix sort: one
 * stable pass a byte, each moving every value to its place among those of the same byte). A
 * byte every value shares is skipped: durations of whole seconds share their low bytes. Lists
 * with a negative number, -0 or NaN, short lists, and big-endian machines take `sort()`.
 */
export function sortedNumbers(values: readonly number[]): Float64Array {
  const sorted = Float64Array.from(values);
  if (sorted.length < RADIX_MIN || !LITTLE_ENDIAN || !allPositiveOrZero(sorted)) return sorted.sort();
  return radixSorted(sorted);
}

/** Below this many values, `sort()` is as fast (its cost does not include 2,048 counters). */
const RADIX_MIN = 256;
/** Whether a double's bytes lie least significant first, as the passes read them. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Every value ≥ 0 and not -0 (whose sign bit would sort it last). */
function allPositiveOrZero(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] as number;
    if (!(value > 0 || (value === 0 && 1 / value > 0))) return false;
  }
  return true;
}

/** Per byte position, how many values have each byte (then where the next such value goes). */
const counts = new Int32Array(8 * 256);

function radixSorted(values: Float64Array): Float64Array {
  const n = values.length;
  let from: Float64Array = values;
  let to: Float64Array = new Float64Array(n);
  let fromBytes = new Uint8Array(from.buffer);
  counts.fill(0);
  for (let i = 0; i < 8 * n; i += 8) {
    for (let byte = 0; byte < 8; byte += 1) counts[(byte << 8) | (fromBytes[i + byte] as number)]! += 1;
  }
  for (let byte = 0; byte < 8; byte += 1) {
    const base = byte << 8;
    let start = 0;
    let shared = false;
    for (let value = 0; value < 256; value += 1) {
      const count = counts[base + value] as number;
      if (count === n) {
        shared = true;
        break;
      }
      counts[base + value] = start;
      start += count;
    }
    if (shared) continue;
    for (let i = 0; i < n; i += 1) {
      const place = base + (fromBytes[8 * i + byte] as number);
      to[counts[place] as number] = from[i] as number;
      counts[place]! += 1;
    }
    [from, to] = [to, from];
    fromBytes = new Uint8Array(from.buffer);
  }
  return from;
}
