// Writes the dashboard's world map: every country of Natural Earth's 1:110m boundaries (the npm package world-atlas)
// as an SVG path in the Equal Earth projection, keyed by its ISO 3166-1 alpha-2 code, the code the coalition's events
// carry. Done at build time so that the browser loads one small file and no map library.
// Usage: node build-map.mjs <output.json>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
const output = process.argv[2];

// Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, so a country's shading is not inflated by latitude.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
function project([longitude, latitude]) {
  const lambda = longitude * Math.PI / 180;
  const theta = Math.asin(M * Math.sin(latitude * Math.PI / 180));
  const t2 = theta * theta, t6 = t2 * t2 * t2;
  const x = lambda * Math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, -y];
}

// Antarctica has no industrial clusters and would take a fifth of the height.
const features = feature(topology, topology.objects.countries).features.filter(f => f.properties.name !== 'Antarctica');
const polygons = f => f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;

// Rings that cross the antimeridian (Russia's east, Fiji) are made continuous, drawn once on each side and left to
// the map's edge to cut, instead of being drawn as a stroke across the whole map.
function continuous(ring) {
  const result = [ring[0]];
  for (const [longitude, latitude] of ring.slice(1)) {
    const previous = result[result.length - 1][0];
    result.push([longitude + 360 * Math.round((previous - longitude) / 360), latitude]);
  }
  return result;
}
function rings(f) {
  return polygons(f).flat().map(continuous).flatMap(ring => {
    const longitudes = ring.map(point => point[0]);
    const copies = [ring];
    if (Math.max(...longitudes) > 180) copies.push(ring.map(([longitude, latitude]) => [longitude - 360, latitude]));
    if (Math.min(...longitudes) < -180) copies.push(ring.map(([longitude, latitude]) => [longitude + 360, latitude]));
    return copies;
  });
}

const WIDTH = 1000;
const clamped = ([longitude, latitude]) => [Math.max(-180, Math.min(180, longitude)), latitude];
const points = features.flatMap(f => rings(f).flat().map(clamped).map(project));
const [minX, maxX] = [Math.min(...points.map(p => p[0])), Math.max(...points.map(p => p[0]))];
const [minY, maxY] = [Math.min(...points.map(p => p[1])), Math.max(...points.map(p => p[1]))];
const scale = WIDTH / (maxX - minX);
const height = Math.ceil((maxY - minY) * scale);
const round = value => Math.round(value * 10) / 10;

function path(f) {
  return rings(f).map(ring => 'M' + ring.map(point => {
    const [x, y] = project(point);
    return round((x - minX) * scale) + ' ' + round((y - minY) * scale);
  }).join('L') + 'Z').join('');
}

const map = {
  source: 'Natural Earth 1:110m via world-atlas ' + require('world-atlas/package.json').version
    + ', Equal Earth projection',
  width: WIDTH,
  height,
  countries: features.map(f => ({
    code: countries.numericToAlpha2(f.id) ?? null,
    name: f.properties.name,
    path: path(f)
  }))
};
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(map));
console.log('world map: ' + map.countries.length + ' countries, ' + map.countries.filter(c => !c.code).length
  + ' without an ISO code, ' + JSON.stringify(map).length + ' characters, to ' + output);
