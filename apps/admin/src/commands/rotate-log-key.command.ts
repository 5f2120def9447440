/**
 * `rotate-log-key [--key <file>]`: hands the public log to a new signing key, announced in the log
 * by a record the key in force signs (docs/operations.md, "Rotating the log signing key").
 */
import { readFileSync } from 'node:fs';
import { localLogKeyStore } from '@openccs/devstack';
import { parsePrivateKey } from '@openccs/disclosure';
import { AuditRepository, rotateLogKey } from '@openccs/persistence';
import type { AdminCommand } from '../command';
import { CommandFailure } from '../context';

export const rotateLogKeyCommand: AdminCommand = {
  usage: 'rotate-log-key',
  summary:
    'start a new log signing key from the next tree size, announced in the log and signed by the key in force',
  options(command) {
    command.option(
      '--key <file>',
      'the new Ed25519 private key (PKCS#8 PEM); else LOG_SIGNING_KEY_NEXT, else (npm start) a new one kept in secrets.json',
    );
  },
  async run(ctx, _args, options) {
    const config = await ctx.apiConfig();
    const keyFile = typeof options.key === 'string' ? options.key : undefined;
    let newKey;
    try {
      newKey = keyFile ? parsePrivateKey(readFileSync(keyFile, 'utf8')) : undefined;
    } catch (err) {
      throw new CommandFailure(`--key ${keyFile}: ${(err as Error).message}`);
    }
    // npm start keeps the log's keys in secrets.json; a deployment keeps them in its configuration.
    const store = ctx.env.LOG_SIGNING_KEY === undefined ? localLogKeyStore(ctx.dataDir) : undefined;
    const ds = await ctx.dataSource();
    const rotation = await rotateLogKey(ds, config, {
      ...(newKey ? { newKey } : {}),
      ...(store ? { store } : {}),
    });
    // The rotation's audit event, once: a re-run after a crash adds the one the crash lost.
    await ctx.audited(() =>
      ds.transaction(async (tx) => {
        const seen = await tx.query(
          `SELECT 1 FROM audit_events WHERE action = 'log.key_rotate' AND subject_id = $1 LIMIT 1`,
          [rotation.keyId],
        );
        if ((seen as unknown[]).length > 0) return;
        await new AuditRepository().record(tx, {
          actorUserId: null,
          action: 'log.key_rotate',
          subjectType: 'log_key',
          subjectId: rotation.keyId,
          requestId: null,
          details: {
            previousKeyId: rotation.previousKeyId,
            fromTreeSize: rotation.fromTreeSize,
            announcedAt: rotation.announcedAt,
          },
        });
      }),
    );
    const { publicKey: _pem, ...summary } = rotation;
    ctx.output.out(`${JSON.stringify(summary)}\n`);
    ctx.output.err(
      `${rotation.appended ? 'Rotated' : 'Already rotated'}: from tree size ${rotation.fromTreeSize} the log is ` +
        `signed by ${rotation.keyId} (previously ${rotation.previousKeyId}), announced by record ` +
        `${rotation.announcedAt}.\nPublish the new public key beside the old one:\n${rotation.publicKey}` +
        (store
          ? 'npm start: restart it so the API and the worker sign with the new key.\n'
          : 'Set LOG_SIGNING_KEY to the new key on every API and worker and restart them; until then they wait.\n'),
    );
  },
};
