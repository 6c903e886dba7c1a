import sharp from 'sharp';
import { encodeForStorage, type PreparedImage } from './prepare-image.ts';

/**
 * One pictogram per demo category, drawn in a 100×100 box with shapes only: no text, so the
 * pictures come out the same on a machine without fonts (a slim container has none).
 * `{bg}` is replaced by the background colour, for cut-outs.
 */
const pictograms: Record<string, string> = {
  electronics: '<path d="M58 6 L22 56 H46 L38 94 L78 40 H54 Z"/>',
  books: '<path d="M8 22 Q30 12 47 24 V88 Q30 76 8 84 Z"/><path d="M92 22 Q70 12 53 24 V88 Q70 76 92 84 Z"/>',
  clothing:
    '<path d="M34 12 L12 24 L2 46 L19 53 L26 42 V92 H74 V42 L81 53 L98 46 L88 24 L66 12 Q50 26 34 12 Z"/>',
  'home-kitchen':
    '<path d="M12 22 H70 V72 Q70 90 52 90 H30 Q12 90 12 72 Z"/><path d="M68 34 H80 Q94 34 94 50 Q94 66 80 66 H68" fill="none" stroke="#fff" stroke-width="9"/>',
  sports:
    '<circle cx="50" cy="50" r="44"/><path d="M6 50 H94 M50 6 Q26 50 50 94 M50 6 Q74 50 50 94" fill="none" stroke="{bg}" stroke-width="5"/>',
  toys: '<rect x="10" y="10" width="80" height="80" rx="16"/><g fill="{bg}"><circle cx="30" cy="30" r="8"/><circle cx="50" cy="50" r="8"/><circle cx="70" cy="70" r="8"/><circle cx="70" cy="30" r="8"/><circle cx="30" cy="70" r="8"/></g>',
  // A star: the digital goods are paid in Telegram Stars.
  digital: '<path d="M50 4 L61 37 H96 L68 58 L79 92 L50 71 L21 92 L32 58 L4 37 H39 Z"/>',
};
const fallback = '<rect x="14" y="14" width="72" height="72" rx="10"/>';
// Smaller than an upload may be: enough for a chat and a page, and the demo's few dozen render in a blink.
const SIDE = 480;

/** An HSL colour as hex, for the SVG: `hue` in degrees, saturation and lightness 0..1. */
function hsl(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** The demo picture of the `index`th demo product, as SVG: its own colour, its category's pictogram. */
export function demoPictureSvg(category: string, index: number): string {
  const side = SIDE;
  // The golden angle spreads neighbouring products' hues far apart.
  const hue = (index * 137.508) % 360;
  const light = hsl(hue, 0.6, 0.62);
  const dark = hsl((hue + 35) % 360, 0.55, 0.38);
  const bubbles = [0, 1, 2]
    .map((i) => {
      const angle = ((index * 53 + i * 127) % 360) * (Math.PI / 180);
      const x = Math.round(side / 2 + Math.cos(angle) * side * 0.36);
      const y = Math.round(side / 2 + Math.sin(angle) * side * 0.36);
      return `<circle cx="${x}" cy="${y}" r="${Math.round(side * (0.08 + ((index * 31 + i * 17) % 70) / 800))}" fill="#fff" fill-opacity="0.1"/>`;
    })
    .join('');
  const pictogram = (pictograms[category] ?? fallback).replaceAll('{bg}', dark);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}" viewBox="0 0 ${side} ${side}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs>
<rect width="${side}" height="${side}" fill="url(#g)"/>${bubbles}
<circle cx="${side / 2}" cy="${side / 2}" r="${side * 0.3}" fill="#fff" fill-opacity="0.16"/>
<g transform="translate(${side * 0.3} ${side * 0.3}) scale(${(side * 0.4) / 100})" fill="#fff">${pictogram}</g>
</svg>`;
}

/** The demo picture as stored: the same encoding as an uploaded photo. */
export function demoPicture(category: string, index: number): Promise<PreparedImage> {
  return encodeForStorage(sharp(Buffer.from(demoPictureSvg(category, index))));
}
