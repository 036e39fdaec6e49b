// The table that makes look-alike names meet (protocol/name-skeleton.ts): Unicode's
// confusables, as the server compares names with them, fetched by the page once it has
// joined rather than carried in main.js (~100 KB, which cost 50–90 ms of evaluation on every
// page while it joins). Until it comes, twins.ts compares names without it: case, width and
// "I" for "l" still meet; "Аlice" with a Cyrillic А meets "Alice" once it is here.
import { type Skeleton, skeletonWith } from '../protocol/name-skeleton.ts';

/** Where the build puts the table (scripts/build-client.ts). */
const TABLE_URL = '/confusables.json';

/** The table's entries that are text for text (anything else in it is left out). */
export function tableOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  // fromEntries defines each key as its own: a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** The skeleton by the fetched table, or null when it could not be had. */
export async function loadSkeleton(): Promise<Skeleton | null> {
  try {
    const response = await fetch(TABLE_URL);
    return response.ok ? skeletonWith(tableOf(await response.json())) : null;
  } catch {
    return null;
  }
}
