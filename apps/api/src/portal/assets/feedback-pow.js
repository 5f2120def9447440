// The proof of work behind anonymous feedback (apps/api/src/feedback/proof-of-work.ts): finds the
// number n with SHA-256(salt + n) = challenge, ALTCHA style, with Web Crypto only. It runs on the
// page itself, in batches with a pause between them, so the page keeps answering while it works.
//
// The markup it enhances:
//   <form data-feedback data-challenge-url="/public/v1/feedback/challenge" method="post" …>
//     <input type="hidden" name="altcha">
//     <p data-feedback-status data-solving="…" data-sending="…" data-failed="…" role="status"></p>
(() => {
  'use strict';

  // About a thousand digests in flight at once, then a pause for input and painting.
  const BATCH = 1000;

  const encoder = new TextEncoder();
  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  const bytesOfHex = (hex) => new Uint8Array(hex.match(/../g).map((x) => parseInt(x, 16)));
  const sameBytes = (buffer, expected) => {
    const actual = new Uint8Array(buffer);
    return expected.every((b, i) => actual[i] === b);
  };

  /** The number that solves the challenge; rejects when there is none up to maxnumber. */
  async function solve(challenge) {
    if (!challenge || challenge.algorithm !== 'SHA-256') throw new Error('unsupported challenge');
    const target = bytesOfHex(challenge.challenge);
    for (let start = 0; start <= challenge.maxnumber; start += BATCH) {
      const end = Math.min(start + BATCH - 1, challenge.maxnumber);
      const digests = [];
      for (let n = start; n <= end; n++) {
        digests.push(crypto.subtle.digest('SHA-256', encoder.encode(challenge.salt + n)));
      }
      const found = (await Promise.all(digests)).findIndex((d) => sameBytes(d, target));
      if (found !== -1) return start + found;
      await pause();
    }
    throw new Error('challenge has no solution');
  }

  window.openccsSolve = solve;

  // What the server verifies: base64 of the ALTCHA JSON (all ASCII, so btoa is safe).
  const payload = (challenge, number) =>
    btoa(
      JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number,
        salt: challenge.salt,
        signature: challenge.signature,
      }),
    );

  const busy = new WeakSet();
  const say = (form, key) => {
    const status = form.querySelector('[data-feedback-status]');
    if (status) status.textContent = (key && status.dataset[key]) || '';
  };

  async function onSubmit(event) {
    const form = event.currentTarget;
    const field = form.querySelector('input[name=altcha]');
    // Solved already, or a form without the field: the browser posts it as it is.
    if (!field || field.value !== '') return;
    event.preventDefault();
    if (busy.has(form)) return;
    busy.add(form);
    try {
      say(form, 'solving');
      const response = await fetch(form.dataset.challengeUrl, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`challenge: HTTP ${response.status}`);
      const challenge = await response.json();
      field.value = payload(challenge, await solve(challenge));
      say(form, 'sending');
      // submit() fires no submit event, so this handler does not run twice.
      form.submit();
    } catch (error) {
      console.warn('feedback proof of work:', error);
      reset(form);
      say(form, 'failed');
    }
  }

  // A solution is single-use: a page restored by Back must not post the spent one again.
  function reset(form) {
    const field = form.querySelector('input[name=altcha]');
    if (field) field.value = '';
    busy.delete(form);
    say(form, null);
  }

  const forms = () => document.querySelectorAll('form[data-feedback]');
  const enhance = () => {
    for (const form of forms()) form.addEventListener('submit', onSubmit);
  };
  // At the end of <body> the document is still loading; with async or defer it may not be.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance);
  else enhance();
  window.addEventListener('pageshow', () => {
    for (const form of forms()) reset(form);
  });
})();
