import { describe, expect, it } from 'vitest';
import { chartPicture, PAGE_WIDTH_PX, pictureSize, svgSize } from './chart-picture.js';

/** A PNG's size from its IHDR chunk, which always comes first. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

const chart = (label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="320"><rect width="760" height="320" fill="#fff"/>` +
  `<text x="20" y="40" font-size="24" style="font-family:arial, sans-serif">${label}</text></svg>`;

describe('chart pictures for the Word report', () => {
  it('reads the size from width and height, else from the viewBox', () => {
    expect(svgSize('<svg width="760" height="320" viewBox="0 0 10 10">')).toEqual({ width: 760, height: 320 });
    expect(svgSize('<svg width="100%" height="100%" viewBox="0 0 480 400">')).toEqual({ width: 480, height: 400 });
    expect(svgSize('<svg viewBox="0,0,200,130">')).toEqual({ width: 200, height: 130 });
    expect(() => svgSize('<svg xmlns="http://www.w3.org/2000/svg">')).toThrow('no width and height, nor a viewBox');
    expect(() => svgSize('<p>not a chart</p>')).toThrow('no <svg> element');
  });

  it('spans the page width keeping the aspect ratio', () => {
    expect(pictureSize({ width: 760, height: 320 })).toEqual({ width: PAGE_WIDTH_PX, height: 253 });
    expect(pictureSize({ width: 200, height: 130 })).toEqual({ width: PAGE_WIDTH_PX, height: 390 });
  });

  it('draws a PNG at twice the shown size, with the labels in a system font', async () => {
    const picture = await chartPicture(chart('Repairs on time'));
    expect(picture).toMatchObject({ width: 600, height: 253 });
    expect(picture.svg.toString()).toBe(chart('Repairs on time'));
    expect(picture.png.subarray(1, 4).toString()).toBe('PNG');
    expect(pngSize(picture.png)).toEqual({ width: 1200, height: 505 });
    // Without a font the text would not be drawn and both pictures would be the same blank page.
    const other = await chartPicture(chart('Complaints upheld'));
    expect(other.png.equals(picture.png)).toBe(false);
  });

  it('draws a chart once: the same SVG at the same width is the picture drawn before', async () => {
    const first = await chartPicture(chart('Rent collected'));
    expect(await chartPicture(chart('Rent collected'))).toBe(first);
    expect(await chartPicture(chart('Rent collected'), 300)).not.toBe(first);
    // One that cannot be drawn says why each time, and is not kept.
    await expect(chartPicture('<p>not a chart</p>')).rejects.toThrow('no <svg> element');
    await expect(chartPicture('<p>not a chart</p>')).rejects.toThrow('no <svg> element');
  });
});
