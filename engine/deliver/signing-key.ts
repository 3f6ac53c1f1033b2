// The engine's delivery signing key: RSA-2048, created once, private half sealed at rest, shared by
// all engines.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { EngineContext } from '../engine-context';
import { uuidv7 } from '../store/uuid';

export interface SigningKey {
  id: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

const loaded = new WeakMap<EngineContext, Promise<SigningKey>>();

async function loadOrCreate(engine: EngineContext): Promise<SigningKey> {
  const read = async () =>
    (
      await engine.db.query<{ id: string; public_key_pem: string; private_key: Buffer }>(
        'select id, public_key_pem, private_key from signing_keys where is_active',
      )
    ).rows[0];
  let row = await read();
  if (!row) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const id = uuidv7();
    const sealed = engine.secretBox.seal(`signing_key:${id}`, {
      pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    // Two engines starting together: the unique index keeps one key; the loser reads the winner's.
    await engine.db.query(
      `insert into signing_keys (id, public_key_pem, private_key) values ($1, $2, $3) on ` +
        `conflict do nothing`,
      [id, publicKey.export({ type: 'spki', format: 'pem' }).toString(), sealed],
    );
    row = await read();
  }
  if (!row) throw new Error('The signing key could not be created.');
  const { pem } = engine.secretBox.open(`signing_key:${row.id}`, row.private_key) as {
    pem: string;
  };
  return { id: row.id, publicKeyPem: row.public_key_pem, privateKey: createPrivateKey(pem) };
}

/** The active key, loaded once per engine. */
export function signingKey(engine: EngineContext): Promise<SigningKey> {
  let key = loaded.get(engine);
  if (!key) {
    key = loadOrCreate(engine);
    // A failed load is retried next time instead of being remembered.
    key.catch(() => loaded.delete(engine));
    loaded.set(engine, key);
  }
  return key;
}
