// Pure: the reference receiver's control plan for a demo state: tenants whose endpoint always
// fails, plus Acme's scenarios; everyone else is accepted at once.
import type { ControlPlanInput } from '../receiver/control-plan';

export interface EndpointScenarios {
  /** The provider the scenarios apply to (Acme). */
  provider: string;
  failing: boolean;
  /** Added before each answer; null when the endpoint is not slow. */
  latencyMs: number | null;
}

export function receiverPlan(
  scenarios: EndpointScenarios,
  alwaysFailing: readonly string[],
): ControlPlanInput {
  const routes: NonNullable<ControlPlanInput['routes']> = alwaysFailing.map((provider) => ({
    provider,
    then: 500,
  }));
  if (scenarios.failing || scenarios.latencyMs !== null) {
    routes.push({
      provider: scenarios.provider,
      ...(scenarios.failing ? { then: 500 } : {}),
      latencyMs: scenarios.latencyMs ?? 0,
    });
  }
  return { routes };
}
