// The home-screen icons of the installable web app (the manifest, src/web/installable.ts): PNGs drawn from
// kloe-icon.svg by resvg, in the two sizes every browser asks for. Part of the build (copy-assets.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

export const APP_ICON_SIZES = [192, 512];

export function writeAppIcons(svgFile, publicDir) {
  const svg = fs.readFileSync(svgFile);
  for (const size of APP_ICON_SIZES) {
    const png = new Resvg(svg, {
      fitTo: { mode: 'width', value: size },
      font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
    })
      .render()
      .asPng();
    fs.writeFileSync(path.join(publicDir, `kloe-icon-${size}.png`), png);
  }
}
