// A moment as a file's name or a saved chat writes it: the local date and time by the
// calendar's digits, "2026-12-08" and "14:05:33", the same in every locale and sorted as text
// sorts. Not Intl's: a name or a row that reads "08/12/2026" here and "12/8/2026" there is
// neither sortable nor safe in a file name.

/** 7 → "07". */
export const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** "2026-12-08", in local time. */
export const localDate = (at: Date): string =>
  `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())}`;

/**
 * "14:05:33" in local time; `separator` '.' for a file name (the receiver of a file makes ':'
 * safe, as Windows refuses it in names, and its line would say so); without seconds, "14:05".
 */
export function localTime(at: Date, separator = ':', seconds = true): string {
  const parts = [at.getHours(), at.getMinutes(), ...(seconds ? [at.getSeconds()] : [])];
  return parts.map(twoDigits).join(separator);
}
