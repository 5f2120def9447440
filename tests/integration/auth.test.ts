import { JwtService } from '@nestjs/jwt';
import { asAdmin, createOrganization, createUser, USER_PASSWORD } from '../support/factories';
import { http } from '../support/http';
import { closeDb, db } from '../support/db';

afterAll(closeDb);

describe('POST /api/v1/auth/token', () => {
  it('issues a bearer token for the right password', async () => {
    const res = await http('POST', '/api/v1/auth/token', {
      body: { username: 'admin', password: process.env.OPENCCS_TEST_ADMIN_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
  });

  it.each([
    ['a wrong password', { username: 'admin', password: 'not-the-password' }],
    ['an unknown user', { username: 'nobody-at-all', password: 'whatever-password' }],
  ])('refuses %s with the same 401 problem', async (_, body) => {
    const res = await http('POST', '/api/v1/auth/token', { body });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'auth.invalid_credentials' });
  });

  it('lists each bad field of a malformed request', async () => {
    const res = await http('POST', '/api/v1/auth/token', { body: { username: 5, extra: true } });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'extra']));
  });
});

describe('lock-out after repeated failures', () => {
  it('locks a username after 5 failures in a row — even the right password then gets 429 — and lifts it after the wait', async () => {
    const user = await createUser(await createOrganization('contractor'));
    const attempt = (password: string) =>
      http('POST', '/api/v1/auth/token', { body: { username: user.username, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-password-1')).status).toBe(401);
    const locked = await attempt(USER_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'auth.locked_out' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Unknown usernames lock the same way, so a lock-out reveals nothing about which accounts exist.
    for (let i = 0; i < 5; i++)
      await http('POST', '/api/v1/auth/token', { body: { username: 'nobody-here', password: 'x' } });
    expect(
      (await http('POST', '/api/v1/auth/token', { body: { username: 'nobody-here', password: 'x' } })).status,
    ).toBe(429);
    await new Promise((r) => setTimeout(r, 2_200)); // LOGIN_LOCKOUT_DURATION is PT2S in tests
    expect((await attempt(USER_PASSWORD)).status).toBe(200);
    // A success starts the count again.
    for (let i = 0; i < 4; i++) await attempt('wrong-password-1');
    expect((await attempt(USER_PASSWORD)).status).toBe(200);
  });
});

describe('bearer tokens', () => {
  it('are required: none, garbage, or signed with another key give 401', async () => {
    expect((await http('GET', '/api/v1/projects')).status).toBe(401);
    expect((await http('GET', '/api/v1/projects', { token: 'not-a-jwt' })).status).toBe(401);
    const forged = new JwtService({ secret: 'another-secret-of-at-least-32-characters' }).sign(
      { sub: '00000000-0000-0000-0000-000000000000', role: 'admin' },
      { issuer: 'openccs', audience: 'openccs-api' },
    );
    expect((await http('GET', '/api/v1/projects', { token: forged })).status).toBe(401);
  });

  it('expire', async () => {
    const me = await http<{ id: string }>('GET', '/api/v1/users/me', { token: await asAdmin() });
    const expired = new JwtService({ secret: process.env.JWT_SECRET }).sign(
      { sub: me.body.id, role: 'admin', exp: Math.floor(Date.now() / 1000) - 10 },
      { issuer: 'openccs', audience: 'openccs-api' },
    );
    const res = await http('GET', '/api/v1/projects', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it('stop working as soon as the account is deactivated', async () => {
    const user = await createUser(await createOrganization('contractor'));
    expect((await http('GET', '/api/v1/users/me', { token: user.token })).status).toBe(200);
    await db().query('UPDATE users SET active = false WHERE id = $1', [user.id]);
    expect((await http('GET', '/api/v1/users/me', { token: user.token })).status).toBe(401);
    const login = await http('POST', '/api/v1/auth/token', {
      body: { username: user.username, password: USER_PASSWORD },
    });
    expect(login.status).toBe(401);
  });
});
