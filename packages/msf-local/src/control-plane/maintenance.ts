/**
 * Maintenance windows: 8 hours, starting at a Region-dependent default (AWS maintenance page; the London and
 * Ireland rows there conflict, so eu-west-1/eu-west-2 follow the Ireland row).
 */
const DEFAULT_START: Record<string, string> = {
  'us-east-1': '03:00',
  'us-east-2': '03:00',
  'us-west-1': '06:00',
  'us-west-2': '06:00',
  'eu-central-1': '06:00',
  'eu-west-1': '22:00',
  'eu-west-2': '22:00',
  'ap-northeast-1': '13:00',
};

export function defaultMaintenanceWindowStart(region: string): string {
  return DEFAULT_START[region] ?? '06:00';
}

export function maintenanceWindowEnd(start: string): string {
  const [hours, minutes] = start.split(':').map(Number) as [number, number];
  const end = (hours + 8) % 24;
  return `${String(end).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
