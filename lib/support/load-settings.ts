// The support console's settings: the installation's configuration, for support staff only.
import 'server-only';
import { supportLoader } from '@/lib/actions/support-guard';
import { getApiStatus } from '@/lib/prequel/client';
import { listDestinations } from '@/lib/prequel/destinations';
import { listDatalakes, listProducts } from '@/lib/prequel/providers';
import { listWebhooks } from '@/lib/prequel/webhooks';

export const loadSettings = supportLoader(async () => {
  const [datalakes, destinations, products, webhooks] = await Promise.all([
    listDatalakes({ pageSize: 100 }),
    listDestinations({ pageSize: 100 }),
    listProducts({ pageSize: 100 }),
    listWebhooks({ pageSize: 100 }),
  ]);
  return { datalakes, destinations, products, webhooks };
});

/**
 * The Import API's address and version are configuration: only staff (and the demo's landing) see
 * them.
 */
export const loadApiStatus = supportLoader(async () => getApiStatus());
