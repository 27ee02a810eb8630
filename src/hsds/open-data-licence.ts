import { z } from 'zod';

/**
 * The open licences a German city publishes data under. The default is the federal one most German open-data
 * portals (GovData) use; the operator chooses with OPEN_DATA_LICENCE.
 */
export const OPEN_DATA_LICENCES = {
  'dl-de-by-2.0': { name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0', short: 'dl-de/by-2-0', url: 'https://www.govdata.de/dl-de/by-2-0' },
  'dl-de-zero-2.0': { name: 'Datenlizenz Deutschland – Zero – Version 2.0', short: 'dl-de/zero-2-0', url: 'https://www.govdata.de/dl-de/zero-2-0' },
  'cc-by-4.0': { name: 'Creative Commons Namensnennung 4.0 International', short: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  'cc0-1.0': { name: 'Creative Commons Zero 1.0 Universal', short: 'CC0 1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
} as const;

export type OpenDataLicenceId = keyof typeof OPEN_DATA_LICENCES;
export type OpenDataLicence = (typeof OPEN_DATA_LICENCES)[OpenDataLicenceId] & { id: OpenDataLicenceId };
export const DEFAULT_OPEN_DATA_LICENCE: OpenDataLicenceId = 'dl-de-by-2.0';
export const openDataLicenceSchema = z.enum(Object.keys(OPEN_DATA_LICENCES) as [OpenDataLicenceId, ...OpenDataLicenceId[]]);

export function openDataLicence(id: OpenDataLicenceId): OpenDataLicence {
  return { id, ...OPEN_DATA_LICENCES[id] };
}
