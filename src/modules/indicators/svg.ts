/** What the server-drawn charts share: GOV.UK colours and escaping text into SVG. */
export const GOVUK = { blue: '#1d70b8', black: '#0b0c0c', grey: '#505a5f', lightGrey: '#b1b4b6', band: '#d2e2f1' };

export const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
