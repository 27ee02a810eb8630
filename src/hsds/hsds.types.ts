/**
 * The parts of HSDS 3 (Open Referral) that this API publishes, as its JSON Schemas name them
 * (/work/shared/vendor/hsds3 in development; tests validate every answer against the official schemas).
 */
export type HsdsTaxonomy = { id: string; name: string; description: string; uri?: string; version?: string };

export type HsdsTaxonomyTerm = {
  id: string;
  code?: string;
  name: string;
  description: string;
  parent_id?: string;
  taxonomy?: string;
  taxonomy_id?: string;
  language?: string;
  term_uri?: string;
};

export type HsdsAttribute = {
  id: string;
  link_id: string;
  link_type: string;
  link_entity: string;
  taxonomy_term_id: string;
  taxonomy_term: HsdsTaxonomyTerm;
  value?: string;
  label?: string;
};

export type HsdsPhone = { id: string; number: string; organization_id?: string; service_id?: string; contact_id?: string; description?: string };
export type HsdsUrl = { id: string; url: string; label?: string; service_id?: string; organization_id?: string };
export type HsdsContact = { id: string; service_id?: string; name?: string; email?: string; phones?: HsdsPhone[] };

export type HsdsAddress = {
  id: string;
  location_id: string;
  address_1: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: 'physical';
};

export type HsdsAccessibility = { id: string; location_id: string; description?: string; details?: string };

export type HsdsLocation = {
  id: string;
  location_type: 'physical';
  organization_id: string;
  name: string;
  transportation?: string;
  latitude: number;
  longitude: number;
  addresses: HsdsAddress[];
  accessibility: HsdsAccessibility[];
};

export type HsdsSchedule = {
  id: string;
  service_id: string;
  valid_from: string;
  valid_to: string;
  dtstart?: string;
  until?: string;
  timezone?: number;
  wkst?: 'MO';
  freq?: 'WEEKLY';
  interval?: number;
  byday?: string;
  opens_at?: string;
  closes_at?: string;
  description?: string;
  attending_type?: string;
  notes?: string;
};

export type HsdsServiceAtLocation = { id: string; service_id: string; location_id: string; description?: string; location: HsdsLocation };
export type HsdsLanguage = { id: string; service_id: string; name: string; code: string; note?: string };

export type HsdsCostOption = {
  id: string;
  service_id: string;
  valid_from: string;
  valid_to: string;
  option: string;
  currency: 'EUR';
  amount: number;
  amount_description?: string;
};

export type HsdsUnit = { id: string; name: string; scheme?: string; identifier?: string };
export type HsdsCapacity = { id: string; service_id: string; unit: HsdsUnit; available: number; maximum?: number; description?: string; updated: string };
export type HsdsOrganizationIdentifier = { id: string; organization_id: string; identifier_type: string; identifier: string };

/** An organization as `GET /organizations` lists it: its own fields only. */
export type HsdsOrganizationListItem = {
  id: string;
  name: string;
  description: string;
  email?: string;
  website?: string;
  uri?: string;
};

/** An organization nested in a service, or answered alone without its services. */
export type HsdsOrganization = HsdsOrganizationListItem & {
  phones: HsdsPhone[];
  locations: HsdsLocation[];
  organization_identifiers: HsdsOrganizationIdentifier[];
};

/** A service as `GET /services` lists it: its own fields and its organization's. */
export type HsdsServiceListItem = {
  id: string;
  organization_id: string;
  name: string;
  alternate_name?: string;
  description?: string;
  url: string;
  email?: string;
  status: 'active';
  application_process?: string;
  fees_description: string;
  eligibility_description?: string;
  assured_date: string;
  alert?: string;
  last_modified: string;
  organization: HsdsOrganizationListItem;
};

export type HsdsService = Omit<HsdsServiceListItem, 'organization'> & {
  organization: HsdsOrganization;
  phones: HsdsPhone[];
  contacts: HsdsContact[];
  additional_urls: HsdsUrl[];
  schedules: HsdsSchedule[];
  service_at_locations: HsdsServiceAtLocation[];
  languages: HsdsLanguage[];
  cost_options: HsdsCostOption[];
  capacities: HsdsCapacity[];
  attributes: HsdsAttribute[];
};

export type HsdsFullOrganization = HsdsOrganization & { services: HsdsService[] };

/** The paged envelope of every HSDS list. */
export type HsdsPage<T> = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
};
