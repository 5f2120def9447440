// The console works without this script; it only adds what a script can: the inbox refreshing
// itself when something arrives, and a progress bar while a report's files upload.

// The inbox: every 15 s, ask whether its list changed; if so, reload it unless the person is
// typing in a form, in which case say so (politely) with a link.
const inbox = document.querySelector('[data-inbox-state]');
if (inbox) {
  const notice = document.getElementById('inbox-notice');
  setInterval(async () => {
    const res = await fetch('/console/inbox/state' + location.search, { credentials: 'same-origin' }).catch(
      () => null,
    );
    if (!res || !res.ok) return;
    const { state } = await res.json();
    if (state === inbox.dataset.inboxState) return;
    const typing = document.activeElement && document.activeElement.closest('form');
    if (!typing) location.reload();
    else if (notice) notice.hidden = false;
  }, 15000);
}

// A report's form with files: send it with a progress bar, then go where the server sends us.
for (const form of document.querySelectorAll('form[enctype="multipart/form-data"]')) {
  const progress = form.querySelector('progress');
  form.addEventListener('submit', (event) => {
    if (!progress || !window.XMLHttpRequest) return;
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    progress.hidden = false;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', () => {
      // Success redirects to the report; a refusal answers with the form again, to show as is.
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname) {
        location.assign(xhr.responseURL);
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener('error', () => form.submit());
    xhr.send(new FormData(form));
  });
}
