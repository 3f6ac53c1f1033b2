// GET /api/wizard/tables?search=&cursor=: one page of the session's source tables, for the table
// browser.
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { listSources, listSourceTables } from '@/lib/prequel/sources';

export const GET = customerRoute(async (request, session) => {
  const params = new URL(request.url).searchParams;
  const sources = await listSources({ providerId: session.providerId, pageSize: 1 });
  if (!sources.ok) return routeError(sources.error);
  const source = sources.data.items[0];
  if (!source)
    return routeError({ code: 'not_found', message: 'Connect a database first.', status: 404 });
  const search = params.get('search')?.slice(0, 200) || undefined;
  const cursor = params.get('cursor')?.slice(0, 1000) || undefined;
  const tables = await listSourceTables(source.id, { search, cursor, pageSize: 50 });
  return tables.ok ? routeData(tables.data) : routeError(tables.error);
});
