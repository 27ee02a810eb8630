/**
 * A typical search on the results page (demo data): a beginner in Landau who can come on weekday mornings.
 * The page weight budget and the screenshots are measured on it.
 */
export const TYPICAL_RESULTS_QUERY = new URLSearchParams([
  ['level', 'A1'],
  ...['mon', 'tue', 'wed', 'thu', 'fri'].map((day): [string, string] => ['slots', `${day}-morning`]),
  ['place', 'Landau in der Pfalz'],
]).toString();
