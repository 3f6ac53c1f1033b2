// Demo pages mint sessions for any provider, so they exist only when the operator turns them on (npm start does).
import 'server-only';

export function demoModeEnabled(): boolean {
  return process.env.INLET_DEMO === 'true';
}
