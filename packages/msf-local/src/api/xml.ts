/** Minimal XML writing for S3 and CloudWatch query responses (element text and attribute escaping). */

export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `<name>text</name>`, or nothing when `value` is undefined. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>...children...</name>` with already-serialised children. */
export function wrap(name: string, children: string, attributes = ''): string {
  return `<${name}${attributes}>${children}</${name}>`;
}
