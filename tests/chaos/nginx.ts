/**
 * A real nginx in front of several API processes, configured by deploy/nginx/openccs.conf.template
 * (the file operators are given, rendered with this run's ports). It runs in the foreground with
 * its own prefix, configuration, pid file, logs and temporary files under one folder, so it
 * needs no privilege and leaves nothing behind; CI installs Debian's package (.ci/run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { stopChild } from '@openccs/devstack';

const ROOT = join(__dirname, '../..');
export const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx/openccs.conf.template');

/** `nginx` on PATH, else Debian's /usr/sbin/nginx (not on a plain user's PATH). */
export function resolveNginx(): string {
  const candidates = [
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nginx')),
    '/usr/sbin/nginx',
  ];
  const found = candidates.find((path) => path !== 'nginx' && existsSync(path));
  if (!found) throw new Error('nginx is not installed: `apt-get install nginx` (.ci/run does it on CI)');
  return found;
}

/** Fills the template's `${NAME}` placeholders; a placeholder left unfilled is an error. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for \${${name}} in ${NGINX_TEMPLATE}`);
    return value;
  });
}

export interface NginxOptions {
  dir: string;
  port: number;
  /** The API processes, host:port each, in the template's order. */
  upstreams: readonly string[];
  maxBody: string;
}

export class Nginx {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly accessLog: string,
  ) {}

  static async start(options: NginxOptions, capture: (child: ChildProcess) => void): Promise<Nginx> {
    const { dir, port, upstreams } = options;
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const accessLog = join(dir, 'logs/access.log');
    const values: Record<string, string> = {
      OPENCCS_LISTEN: `127.0.0.1:${port}`,
      OPENCCS_MAX_BODY: options.maxBody,
      OPENCCS_ACCESS_LOG: accessLog,
    };
    upstreams.forEach((address, i) => (values[`OPENCCS_API_${i + 1}`] = address));
    writeFileSync(join(dir, 'openccs.conf'), renderTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), values));
    // The main context a packaged nginx.conf would give, everything under `dir`. As root, nginx's
    // workers would switch to `nobody`, who cannot enter this private folder: they stay root.
    const user = process.getuid?.() === 0 ? 'user root;\n' : '';
    const temp = (name: string) => join(dir, `tmp-${name}`);
    writeFileSync(
      join(dir, 'nginx.conf'),
      `${user}daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs/error.log')} warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  include ${join(dir, 'openccs.conf')};
}
`,
    );
    const child = spawn(
      resolveNginx(),
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    capture(child);
    const nginx = new Nginx(child, `http://127.0.0.1:${port}`, accessLog);
    const deadline = Date.now() + 10_000;
    while (!(await listening(port))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`nginx did not start; see ${join(dir, 'logs/error.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return nginx;
  }

  /** The upstream (host:port) of each request nginx passed on so far, from the access log. */
  upstreamsServed(): string[] {
    const lines = existsSync(this.accessLog) ? readFileSync(this.accessLog, 'utf8').split('\n') : [];
    // A request tried on a dead API first lists both: "127.0.0.1:1, 127.0.0.1:2"; the last served it.
    return lines.flatMap((line) => /upstream=(?:[^ ]+, )*([^ ,]+)/.exec(line)?.[1] ?? []);
  }

  async stop(): Promise<void> {
    await stopChild(this.child, 10_000);
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
