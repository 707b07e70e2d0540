/* Resumable, chunked video upload for Shoko contests (no framework, no CDN).
 *
 * The file is sent in chunks of the size the server names; each chunk carries its SHA-256
 * (WebCrypto), and the whole file is vouched for by the SHA-256 of the chunks' digests. A lost
 * connection pauses the upload and it resumes by itself when the phone is back online; choosing
 * the same file again after closing the page resumes from the chunks the server already holds.
 */
(function () {
  "use strict";
  var root = document.querySelector(".uploader");
  if (!root) { return; }
  var input = root.querySelector("input[type=file]");
  var box = root.querySelector(".upload-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector(".upload-text");
  var nameLine = box.querySelector(".upload-name");
  var pauseButton = box.querySelector(".upload-pause");
  var resumeButton = box.querySelector(".upload-resume");
  var messages = root.querySelector("#upload-messages").dataset;
  var state = { paused: false, running: false, file: null, wake: null };

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }
  function megabytes(n) { return (n / 1048576).toFixed(1) + " MB"; }
  function sleep(ms) {
    return new Promise(function (resolve) {
      var timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); window.removeEventListener("online", done); state.wake = null; resolve(); }
      window.addEventListener("online", done);
      state.wake = done;
    });
  }
  function show(message) { text.textContent = message; }
  function progress(done, total) {
    var percent = total ? Math.floor(done * 100 / total) : 0;
    bar.value = percent;
    show(format(messages.sending, { done: megabytes(done), total: megabytes(total) }) + " (" + percent + "%)");
    root.dataset.received = String(done);
  }

  async function call(url, options) {
    options.headers = Object.assign({ "X-CSRFToken": csrfToken() }, options.headers || {});
    options.credentials = "same-origin";
    var response = await fetch(url, options);
    var body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    return { status: response.status, body: body };
  }

  async function withRetries(action) {
    for (var attempt = 1; ; attempt++) {
      while (state.paused) { await sleep(60000); }
      try {
        var result = await action();
        if (result.status >= 500 || result.status === 429) { throw new Error("server " + result.status); }
        return result;
      } catch (error) {
        if (!navigator.onLine) { show(messages.offline); } else { show(format(messages.retry, { attempt: attempt })); }
        root.dataset.state = "waiting";
        await sleep(Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 5))));
        root.dataset.state = "sending";
      }
    }
  }

  async function upload(file) {
    state.running = true;
    root.dataset.state = "sending";
    box.hidden = false;
    nameLine.textContent = file.name + " (" + megabytes(file.size) + ")";
    var started = await withRetries(function () {
      return call(root.dataset.startUrl, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: file.name, size: file.size })
      });
    });
    if (started.status >= 400) { return fail(started.body.error); }
    var upload = started.body;
    var have = new Set(upload.received);
    var digests = [];
    var done = upload.received_bytes;
    if (have.size) { show(format(messages.resumed, { done: megabytes(done), total: megabytes(file.size) })); }
    for (var index = 0; index < upload.chunks; index++) {
      var blob = file.slice(index * upload.chunk_size, Math.min(file.size, (index + 1) * upload.chunk_size));
      var bytes = await blob.arrayBuffer();
      var digest = hex(await crypto.subtle.digest("SHA-256", bytes));
      digests.push(digest);
      if (have.has(index)) { continue; }
      var sent = await withRetries(function () {
        return call(upload.urls.chunk + index, {
          method: "PUT", headers: { "Content-Type": "application/octet-stream", "X-Chunk-SHA256": digest }, body: bytes
        });
      });
      if (sent.status === 400 && sent.body.code === "chunk_checksum") { index--; digests.pop(); continue; }
      if (sent.status >= 400) { return fail(sent.body.error); }
      done = sent.body.received_bytes;
      progress(done, file.size);
    }
    var joined = new Uint8Array(digests.length * 32);
    digests.forEach(function (d, i) {
      for (var j = 0; j < 32; j++) { joined[i * 32 + j] = parseInt(d.substr(j * 2, 2), 16); }
    });
    var checksum = hex(await crypto.subtle.digest("SHA-256", joined));
    var completed = await withRetries(function () {
      return call(upload.urls.complete, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ checksum: checksum })
      });
    });
    if (completed.status >= 400) { return fail(completed.body.error); }
    bar.value = 100;
    show(messages.checking);
    root.dataset.state = "done";
    state.running = false;
    pauseButton.hidden = true;
    if (window.htmx) { window.htmx.trigger(document.body, "video-changed"); }
  }

  function fail(message) {
    state.running = false;
    root.dataset.state = "failed";
    show(format(messages.failed, { error: message || "?" }));
    input.value = "";
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file || state.running) { return; }
    state.file = file;
    state.paused = false;
    upload(file).catch(function (error) { fail(String(error)); });
  });
  pauseButton.addEventListener("click", function () {
    state.paused = true;
    pauseButton.hidden = true;
    resumeButton.hidden = false;
    show(messages.paused);
  });
  resumeButton.addEventListener("click", function () {
    state.paused = false;
    resumeButton.hidden = true;
    pauseButton.hidden = false;
    if (state.wake) { state.wake(); }
  });
})();
