/**
 * A chart's SVG as a picture for the Word report. Word shows the SVG itself; versions of Word without
 * SVG support show a PNG made from it, which docx requires. The PNG is drawn by resvg (loaded on first
 * use, so starting kloe does not load it) with the machine's fonts: the indicators module's ECharts SVGs
 * ask for "arial, sans-serif", and Liberation Sans has Arial's metrics, so labels keep their places.
 */
import { createHash } from 'node:crypto';

/** A4 less docx's default one-inch margins is 6.27 in, 602 px at Word's 96 px to the inch. */
export const PAGE_WIDTH_PX = 600;
/** The PNG has twice the pixels it is shown at, so the fallback stays sharp when printed. */
const PNG_SCALE = 2;

export interface ChartPicture {
  svg: Buffer;
  png: Buffer;
  /** As shown in the document, in px at 96 to the inch. */
  width: number;
  height: number;
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(tag)?.[1];
/** A plain or px length; percentages and other units do not give a size. */
const length = (value: string | undefined) => {
  const match = value && /^\s*([\d.]+)\s*(px)?\s*$/.exec(value);
  return match ? Number(match[1]) : NaN;
};

/** The SVG's drawn size from the root element's width and height, else its viewBox. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) throw new Error('The chart is not an SVG: it has no <svg> element');
  let width = length(attribute(root, 'width'));
  let height = length(attribute(root, 'height'));
  if (!(width > 0 && height > 0)) {
    const box = attribute(root, 'viewBox')
      ?.trim()
      .split(/[\s,]+/)
      .map(Number);
    [width, height] = [box?.[2] ?? NaN, box?.[3] ?? NaN];
  }
  if (!(width > 0 && height > 0)) throw new Error('The chart SVG gives no size: no width and height, nor a viewBox');
  return { width, height };
}

/** The picture `width` wide (by default across the page; an SVG scales without loss), its aspect ratio kept. */
export const pictureSize = (size: { width: number; height: number }, width = PAGE_WIDTH_PX) => ({
  width,
  height: Math.round((width * size.height) / size.width),
});

/**
 * Pictures drawn lately, by their SVG and width: drawing one costs about 25 ms of CPU (resvg loads the system
 * fonts each time), and a report's charts come from a frozen snapshot, so every Word document of a draft
 * would draw the same pictures again. The latest 64 are kept (a few MB), least recently used out first.
 */
const KEEP = 64;
const drawn = new Map<string, Promise<ChartPicture>>();

export function chartPicture(svg: string, width = PAGE_WIDTH_PX): Promise<ChartPicture> {
  const key = `${width}:${createHash('sha256').update(svg).digest('hex')}`;
  let picture = drawn.get(key);
  if (picture) {
    drawn.delete(key); // to the back: the most recently used
  } else {
    picture = draw(svg, width);
    picture.catch(() => drawn.delete(key)); // a chart that cannot be drawn is tried again, and its error shown
    if (drawn.size >= KEEP) drawn.delete(drawn.keys().next().value!);
  }
  drawn.set(key, picture);
  return picture;
}

async function draw(svg: string, width: number): Promise<ChartPicture> {
  const { renderAsync } = await import('@resvg/resvg-js');
  const shown = pictureSize(svgSize(svg), width);
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: shown.width * PNG_SCALE },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  });
  return { svg: Buffer.from(svg), png: image.asPng(), ...shown };
}
