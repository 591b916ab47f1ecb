/** What the server-drawn charts share: GOV.UK colours and escaping text into SVG. */
export const GOVUK = { blue: '#1d70b8', black: '#0b0c0c', grey: '#505a5f', lightGrey: '#b1b4b6', band: '#d2e2f1' };

export const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `font: italic bold 12px arial, sans-serif` as its separate properties (ECharts writes either form). */
function fontShorthand(value: string): [string, string][] {
  const match =
    /^\s*((?:(?:italic|oblique|normal|bold|bolder|lighter|\d00)\s+)*)([\d.]+(?:px|pt|em|rem|%))\s+(.+)$/.exec(value);
  if (!match) return [];
  const out: [string, string][] = [];
  for (const word of match[1]!.trim().split(/\s+/).filter(Boolean)) {
    if (word === 'normal') continue;
    out.push([/^(italic|oblique)$/.test(word) ? 'font-style' : 'font-weight', word]);
  }
  return [...out, ['font-size', match[2]!], ['font-family', match[3]!.trim()]];
}

/**
 * An SVG with its `style` attributes written as presentation attributes, and without `<style>` elements and
 * the classes they style: the pages' Content-Security-Policy allows no inline styles, and a blocked style
 * attribute loses a label's font. Presentation attributes are not styles, so the policy leaves them alone.
 * ECharts' `<style>` holds only hover effects, which a static picture never shows.
 */
export function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\sclass="zr\d+-cls-\d+(?:\s+zr\d+-cls-\d+)*"/g, '')
    .replace(/\sstyle="([^"]*)"/g, (_all, css: string) =>
      css
        .split(/(?<!&[a-zA-Z#\d]+);/) // not the ; ending an entity such as &quot;
        .map((declaration) => declaration.split(/:(.*)/s).map((s) => s.trim()))
        .filter(([name, value]) => name && value)
        .flatMap(([name, value]) => (name === 'font' ? fontShorthand(value!) : [[name!, value!] as [string, string]]))
        .map(([name, value]) => ` ${name}="${value}"`)
        .join(''),
    );
}
