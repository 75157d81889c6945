// Salesforce Data Export CSV: every field double-quoted, `\n` line ends, a final newline.

const quote = (field: string) => `"${field.replaceAll('"', '""')}"`;

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((fields) => fields.map(quote).join(','));
  return lines.join('\n') + '\n';
}

export const csvBoolean = (value: boolean) => (value ? '1' : '0');
export const csvAmount = (value: number | null) => (value === null ? '' : value.toFixed(2));
