// (ext) Status summaries: every provider's health in one paged call, for a support console over thousands of tenants.
import { ProviderHealthListSchema, ProviderHealthQuerySchema } from '../../lib/prequel/contract/provider-health';
import type { EngineContext, RequestVariables } from '../engine-context';
import type { ApiRoutes } from '../http/api-routes';
import { pageUrl } from '../http/pagination';
import { readQuery } from '../http/read-input';
import { readProviderHealth } from './provider-health';
import { readErrorGroups } from './shared-failures';

export function addStatusRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'get',
    path: '/import/status/providers',
    summary:
      '(ext) Every provider’s health (failing > degraded > onboarding incomplete > healthy, then broken longest first), with the problems behind it; search by name or id, filter by health, cursor paging both ways; and the failures of all providers grouped',
    tag: 'status',
    query: ProviderHealthQuerySchema,
    response: ProviderHealthListSchema,
    handler: async (c) => {
      const query = readQuery(c, ProviderHealthQuerySchema);
      const [page, groups] = await Promise.all([
        readProviderHealth(engine.db, { now: new Date(), search: query.search || undefined, health: query.health, pageSize: query.page_size, cursor: query.cursor }),
        readErrorGroups(engine.db),
      ]);
      const link = (cursor: string | null) => (cursor ? pageUrl(c, engine.publicUrl, { page_size: String(query.page_size), cursor }) : null);
      return c.json({
        status: 'success',
        data: { providers: page.providers, counts: page.counts, error_groups: groups },
        message: `Found ${page.providers.length} provider${page.providers.length === 1 ? '' : 's'}.`,
        has_next: page.nextCursor !== null,
        next_url: link(page.nextCursor),
        has_previous: page.previousCursor !== null,
        previous_url: link(page.previousCursor),
      });
    },
  });
}
