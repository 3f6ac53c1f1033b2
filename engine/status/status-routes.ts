// (ext) Status summaries: every provider's health in one paged call, for a support console over
// thousands of tenants; and one provider's status in one call, for its status page however many
// datasets and streams it has.
import {
  ProviderHealthListSchema,
  ProviderHealthQuerySchema,
} from '../../lib/prequel/contract/provider-health';
import {
  ProviderStatusQuerySchema,
  ProviderStatusResponseSchema,
} from '../../lib/prequel/contract/provider-status';
import type { EngineContext, RequestVariables } from '../engine-context';
import type { ApiRoutes } from '../http/api-routes';
import { pageUrl } from '../http/pagination';
import { readQuery } from '../http/read-input';
import { respond } from '../http/respond';
import { readProviderHealth } from './provider-health';
import { readProviderStatus } from './provider-status';
import { readErrorGroups } from './shared-failures';

export function addStatusRoutes(routes: ApiRoutes<RequestVariables>, engine: EngineContext) {
  routes.add({
    method: 'get',
    path: '/import/status/providers',
    summary:
      '(ext) Every provider’s health (failing > degraded > onboarding incomplete > healthy, then ' +
      'broken longest first), with the problems behind it; search by name or id, filter by ' +
      'health, cursor paging both ways; and the failures of all providers grouped',
    tag: 'status',
    query: ProviderHealthQuerySchema,
    response: ProviderHealthListSchema,
    handler: async (c) => {
      const query = readQuery(c, ProviderHealthQuerySchema);
      // The page first: reading it judges again the providers that changed, whose failures the
      // groups read.
      const page = await readProviderHealth(engine.db, {
        now: new Date(),
        search: query.search || undefined,
        health: query.health,
        pageSize: query.page_size,
        cursor: query.cursor,
      });
      const groups = await readErrorGroups(engine.db);
      const link = (cursor: string | null) =>
        cursor
          ? pageUrl(c, engine.publicUrl, { page_size: String(query.page_size), cursor })
          : null;
      return c.json({
        status: 'success',
        data: { providers: page.providers, counts: page.counts, error_groups: groups },
        message:
          `Found ${page.providers.length} ` + `provider${page.providers.length === 1 ? '' : 's'}.`,
        has_next: page.nextCursor !== null,
        next_url: link(page.nextCursor),
        has_previous: page.previousCursor !== null,
        previous_url: link(page.previousCursor),
      });
    },
  });

  routes.add({
    method: 'get',
    path: '/import/providers/:id/status',
    summary:
      '(ext) One provider’s status in one call: its sources, datasets with their newest ' +
      'extracts, streams with their newest loads, destination names and waiting records (each as ' +
      'the per-object endpoints answer them)',
    tag: 'status',
    query: ProviderStatusQuerySchema,
    response: ProviderStatusResponseSchema,
    errorStatuses: [404],
    handler: async (c) => {
      const { history } = readQuery(c, ProviderStatusQuerySchema);
      const id = c.req.param('id')!;
      return respond(
        c,
        'provider_status',
        await readProviderStatus(engine.db, id, history),
        `Status of provider "${id}".`,
      );
    },
  });
}
