/**
 * Place names as people type them: exact resolution (unknown, ambiguous, qualified) and suggestions,
 * and the promise that ties them: every suggested name resolves to the very place suggested.
 */
import { allPlaces, resolvePlace, suggestPlaces, type Place } from '../../src/places/places';

const names = (places: Place[]) => places.map((p) => p.name);

describe('resolvePlace', () => {
  it('finds a place whatever the case, umlauts and spaces', () => {
    for (const typed of ['Zweibrücken', 'zweibrucken', 'ZWEIBRUECKEN', '  zweibrücken ', 'Landau in der Pfalz', 'landau   IN der pfalz']) {
      const result = resolvePlace(typed);
      expect(result.kind).toBe('found');
    }
    expect(resolvePlace('zweibruecken')).toEqual(resolvePlace('Zweibrücken'));
    expect(resolvePlace('Munster (29633)')).toMatchObject({ kind: 'found', place: { name: 'Munster (29633)' } }); // not Münster; written qualified, as folding makes the names equal
    expect(resolvePlace('Muenchen')).toMatchObject({ kind: 'found', place: { name: 'München' } });
    expect(resolvePlace('Billigheim Ingenheim')).toMatchObject({ kind: 'found', place: { name: 'Billigheim-Ingenheim', postcode: '76831' } });
  });

  it('knows no place that is not in the data, nor a mere prefix', () => {
    for (const typed of ['Atlantis', 'Landa', 'Landau in der', '', '   ', '76829', 'Neustadt (99999)', 'Landau in der Pfalz (67655)']) {
      expect(resolvePlace(typed)).toEqual({ kind: 'unknown' });
    }
  });

  it('calls a name several places carry ambiguous and offers each in a form that resolves to it', () => {
    const result = resolvePlace('Münster');
    expect(result.kind).toBe('ambiguous');
    if (result.kind !== 'ambiguous') return;
    expect(result.candidates.length).toBeGreaterThan(1);
    for (const candidate of result.candidates) {
      expect(candidate.name).toMatch(/^Münster \(.+\)$/);
      expect(resolvePlace(candidate.name)).toEqual({ kind: 'found', place: candidate });
    }
  });

  it('calls a short name ambiguous when it could mean several places with an official qualifier', () => {
    const landau = resolvePlace('Landau');
    expect(landau.kind === 'ambiguous' && landau.candidates.map((c) => c.name).sort()).toEqual(['Landau an der Isar', 'Landau in der Pfalz']);
    const neustadt = resolvePlace('Neustadt');
    expect(neustadt.kind).toBe('ambiguous');
    if (neustadt.kind !== 'ambiguous') return;
    expect(neustadt.candidates.map((c) => c.name)).toEqual(expect.arrayContaining(['Neustadt an der Weinstraße', 'Neustadt (Dosse)', 'Neustadt (35279)']));
    for (const candidate of neustadt.candidates) expect(resolvePlace(candidate.name)).toEqual({ kind: 'found', place: candidate });
    expect(resolvePlace('Munster').kind).toBe('ambiguous'); // Munster (29633), or Münster, which folds to the same letters
    // a short name that only one place carries is that place
    expect(resolvePlace('Ludwigshafen')).toMatchObject({ kind: 'found', place: { name: 'Ludwigshafen am Rhein' } });
  });

  it('a name qualified with one of its postcodes is that place in that postcode', () => {
    expect(resolvePlace('Landau in der Pfalz (76829)')).toEqual({
      kind: 'found',
      place: { name: 'Landau in der Pfalz (76829)', postcode: '76829', lat: 49.1984, lng: 8.1169 },
    });
    expect(resolvePlace('leinsweiler (76829)')).toMatchObject({ kind: 'found', place: { name: 'Leinsweiler (76829)' } });
  });
});

describe('suggestPlaces', () => {
  it('completes names whatever the case and umlauts', () => {
    expect(names(suggestPlaces('Landau'))).toEqual(['Landau an der Isar', 'Landau in der Pfalz']);
    expect(suggestPlaces('landau')).toEqual(suggestPlaces('Landau'));
    expect(names(suggestPlaces('Neustadt a'))).toContain('Neustadt an der Weinstraße');
    for (const typed of ['Zweibrücken', 'zweibrucken', 'zweibruecken', 'Zweibr']) {
      expect(names(suggestPlaces(typed))).toEqual(['Zweibrücken']);
    }
  });

  it('completes postcodes, each as its main place', () => {
    const places = suggestPlaces('768');
    expect(places).toHaveLength(10);
    for (const place of places) expect(place.postcode.startsWith('768')).toBe(true);
    expect(places[0]).toEqual({ name: 'Landau in der Pfalz (76829)', postcode: '76829', lat: 49.1984, lng: 8.1169 });
    expect(names(suggestPlaces('67661'))).toEqual(['Kaiserslautern (67661)']);
  });

  it('puts the exact name first, then bigger towns, and gives at most 10', () => {
    expect(names(suggestPlaces('Berlin'))[0]).toBe('Berlin');
    expect(names(suggestPlaces('b'))[0]).toBe('Berlin'); // the town with most postcodes
    expect(suggestPlaces('b')).toHaveLength(10);
    expect(suggestPlaces('b', 50)).toHaveLength(10);
    expect(suggestPlaces('b', 3)).toHaveLength(3);
    expect(names(suggestPlaces('Neustadt'))[0]).toBe('Neustadt (35279)'); // written qualified: "Neustadt" alone is ambiguous
  });

  it('suggests nothing for nothing', () => {
    for (const typed of ['', '  ', 'qqqqq', '999999', '00', '1234x']) expect(suggestPlaces(typed)).toEqual([]);
  });

  it('every place, written as suggested, resolves to exactly that place', () => {
    const places = allPlaces();
    expect(places.length).toBeGreaterThan(10_000);
    const failures = places.filter((place) => {
      const result = resolvePlace(place.name);
      return result.kind !== 'found' || JSON.stringify(result.place) !== JSON.stringify(place);
    });
    expect(failures.slice(0, 5)).toEqual([]);
    expect(new Set(names(places)).size).toBe(places.length);
  });

  it('every suggestion for name and postcode prefixes resolves to the suggested place', () => {
    const prefixes = new Set<string>();
    for (const place of allPlaces()) {
      prefixes.add(place.name.slice(0, 1));
      prefixes.add(place.name.slice(0, 3));
      prefixes.add(place.postcode.slice(0, 2));
      prefixes.add(place.postcode.slice(0, 4));
    }
    let checked = 0;
    for (const prefix of prefixes) {
      for (const place of suggestPlaces(prefix)) {
        expect(resolvePlace(place.name)).toEqual({ kind: 'found', place });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
