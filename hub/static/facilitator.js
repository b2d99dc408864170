// Facilitator pages: an upload progress bar and live install progress. Pages work without it.
(function () {
  "use strict";

  // Upload: send the file itself as the request body, so the hub streams it to disk.
  var form = document.getElementById("upload-form");
  if (form && window.XMLHttpRequest && window.FormData) {
    var input = form.querySelector("input[type=file]");
    var warning = document.getElementById("upload-space-warning");
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var status = document.getElementById("upload-status");
    var failure = document.getElementById("upload-error");
    var free = Number(form.dataset.free), reserve = Number(form.dataset.reserve);
    input.addEventListener("change", function () {
      var file = input.files[0];
      // A pack needs about its own size on disk once unpacked, plus the upload itself.
      warning.hidden = !(file && free - 2 * file.size < reserve);
    });
    form.addEventListener("submit", function (event) {
      var file = input.files[0];
      if (!file) { return; }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", "application/zip");
      box.hidden = false;
      failure.hidden = true;
      form.querySelector("button[type=submit]").disabled = true;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.floor(e.loaded * 100 / e.total);
          bar.value = percent;
          status.textContent = percent + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status === 202 && answer.job_url) {
          window.location.assign(answer.job_url);
          return;
        }
        failure.textContent = answer.error || failure.dataset.failed;
        failure.hidden = false;
        form.querySelector("button[type=submit]").disabled = false;
      });
      xhr.addEventListener("error", function () {
        failure.textContent = failure.dataset.failed;
        failure.hidden = false;
        form.querySelector("button[type=submit]").disabled = false;
      });
      xhr.send(file);
    });
  }

  // Install job: poll its small JSON state; reload the page once it is finished.
  var job = document.getElementById("job");
  if (job && window.fetch && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    var jobBar = document.getElementById("job-bar");
    var message = document.getElementById("job-message");
    var poll = function () {
      fetch(job.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          jobBar.value = Math.round(state.fraction * 100);
          // The message is a file name; the page's own sentence (translated) carries it.
          message.textContent = state.message ? job.dataset.working.replace("%(name)s", state.message) : "";
          if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }
})();
