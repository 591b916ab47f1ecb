// Upload progress for every file upload form (multipart/form-data): with files chosen, the form is sent by
// XMLHttpRequest so that the person sees how much has gone and then that the server is checking it. What the
// server answers is shown as a normal submission would show it: its redirect is followed, and a page it sends
// back (the form again with an error summary) replaces this one. Without JavaScript the forms post as usual.

const MB = 1024 * 1024;
const size = (bytes) => (bytes < MB ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / MB).toFixed(1)} MB`);

/** Enhances the upload forms in `root`; `reinit` runs on a page the server sends back (GOV.UK Frontend's components). */
export function initUploadProgress(root, reinit) {
  for (const form of root.querySelectorAll('form[enctype="multipart/form-data"]')) {
    form.addEventListener('submit', (event) => send(event, form, reinit));
  }
}

function send(event, form, reinit) {
  const files = [...form.querySelectorAll('input[type="file"]')].flatMap((input) => [...(input.files ?? [])]);
  if (files.length === 0 || form.dataset.kloeUploading === 'true') return; // nothing to show progress for
  event.preventDefault();
  form.dataset.kloeUploading = 'true';
  const button = form.querySelector('button[type="submit"], button:not([type])');
  button?.setAttribute('disabled', '');
  button?.setAttribute('aria-disabled', 'true');

  const total = files.reduce((sum, file) => sum + file.size, 0);
  const what = `${files.length === 1 ? '1 file' : `${files.length} files`} (${size(total)})`;
  const panel = document.createElement('div');
  panel.className = 'kloe-upload-progress';
  const message = document.createElement('p');
  message.className = 'govuk-body govuk-!-margin-bottom-1';
  message.setAttribute('role', 'status'); // read out politely, at each quarter rather than every event
  message.textContent = `Uploading ${what}`;
  const bar = document.createElement('progress');
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute('aria-label', 'Upload progress');
  panel.append(message, bar);
  (button ?? form.lastElementChild).after(panel);

  const request = new XMLHttpRequest();
  request.open('POST', form.action);
  let announced = 0;
  request.upload.addEventListener('progress', (e) => {
    if (!e.lengthComputable) return;
    const percent = Math.floor((e.loaded / e.total) * 100);
    bar.value = percent;
    if (percent >= announced + 25 && percent < 100) {
      announced = percent - (percent % 25);
      message.textContent = `Uploading ${what}: ${announced}% sent`;
    }
  });
  request.upload.addEventListener('load', () => {
    bar.value = 100;
    message.textContent = `${what[0].toUpperCase()}${what.slice(1)} sent. Checking…`;
  });
  request.addEventListener('load', () => {
    const redirected = request.responseURL && request.responseURL !== new URL(form.action, location.href).href;
    if (redirected && request.status < 400) {
      location.assign(request.responseURL);
      return;
    }
    showPage(request.responseText, reinit);
  });
  request.addEventListener('error', () => {
    message.textContent = 'The upload did not reach kloe: check your connection and try again.';
    bar.remove();
    delete form.dataset.kloeUploading;
    button?.removeAttribute('disabled');
    button?.removeAttribute('aria-disabled');
  });
  request.send(new FormData(form));
}

/** The page the server answered with (the form with its error summary), in place of this one. */
function showPage(html, reinit) {
  const page = new DOMParser().parseFromString(html, 'text/html');
  document.title = page.title;
  // Scripts parsed this way never run; the page's own modules are already loaded here and are run again.
  document.body.replaceWith(document.adoptNode(page.body));
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  reinit(document.body);
  initUploadProgress(document.body, reinit);
  window.scrollTo(0, 0);
}
