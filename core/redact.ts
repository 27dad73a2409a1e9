/**
 * The one redaction function: shows at most a short prefix so a human can recognise a
 * value, never enough to use it. Short values are fully masked.
 */
export function redact(value: string): string {
  const visible = value.length >= 16 ? 4 : value.length >= 10 ? 2 : 0;
  const shown = value.slice(0, visible).replace(/[^\x20-\x7e]/g, "?");
  return `${shown}${"*".repeat(Math.min(8, Math.max(4, value.length - visible)))}(${value.length})`;
}
