import { Badge, type BadgeTone } from '@/components/ui/badge';

const HEALTH: Record<string, { tone: BadgeTone; label: string }> = {
  failing: { tone: 'danger', label: 'Failing' },
  degraded: { tone: 'warning', label: 'Degraded' },
  onboarding_incomplete: { tone: 'neutral', label: 'Onboarding incomplete' },
  healthy: { tone: 'success', label: 'Healthy' },
};

export function HealthBadge({ health }: { health: string }) {
  const shown = HEALTH[health] ?? { tone: 'neutral' as const, label: health };
  return <Badge tone={shown.tone}>{shown.label}</Badge>;
}
