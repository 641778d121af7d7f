// A provider's colour, the same in its badge and on the dashboard's chart: known providers keep
// their brand hue, others get one picked from the name. White text stays above 4.5:1 on each.
const PALETTE = [
  '#3d4db7',
  '#a3367a',
  '#1f6f5c',
  '#8a4b08',
  '#5b3fa8',
  '#1d5f8a',
  '#9b2c2c',
  '#44613a',
];
const KNOWN: Record<string, string> = {
  github: '#24292f',
  gitlab: '#a8431b',
  slack: '#4a154b',
  stripe: '#533afd',
  openai: '#106b56',
  aws: '#8a4b08',
  npm: '#b3242b',
};

export function providerColour(name: string): string {
  const known = KNOWN[name];
  if (known) return known;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#3d4db7';
}
