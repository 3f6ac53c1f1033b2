import { describe, expect, test } from 'vitest';
import { RoundRobinTurns } from './round-robin-turns';

/** Runs `slices` slices of one reader of `providerId`, noting each in `order`. */
async function reader(turns: RoundRobinTurns, providerId: string, slices: number, order: string[]) {
  for (let slice = 0; slice < slices; slice++) {
    await turns.turn(providerId);
    order.push(providerId);
  }
}

describe("the load thread's turns", () => {
  test("alternate between two tenants' readers, whoever asked first", async () => {
    const turns = new RoundRobinTurns();
    const order: string[] = [];
    const big = reader(turns, 'big', 6, order);
    const small = reader(turns, 'small', 3, order);
    await Promise.all([big, small]);
    expect(order).toEqual(['big', 'small', 'big', 'small', 'big', 'small', 'big', 'big', 'big']);
  });

  test("go by tenant, not by reader: three readers of one tenant do not get three turns to another's one", async () => {
    const turns = new RoundRobinTurns();
    const order: string[] = [];
    await Promise.all([
      reader(turns, 'big', 3, order),
      reader(turns, 'big', 3, order),
      reader(turns, 'big', 3, order),
      reader(turns, 'small', 3, order),
    ]);
    // Wherever the small tenant's slices fall, no more than one of the big tenant's comes between
    // two of them while the small one still has work.
    const smallAt = order.flatMap((providerId, index) => (providerId === 'small' ? [index] : []));
    expect(smallAt).toEqual([1, 3, 5]);
    expect(order.filter((providerId) => providerId === 'big')).toHaveLength(9);
  });

  test('a tenant alone takes its turns one after another', async () => {
    const turns = new RoundRobinTurns();
    const order: string[] = [];
    await reader(turns, 'only', 4, order);
    expect(order).toEqual(['only', 'only', 'only', 'only']);
  });
});
