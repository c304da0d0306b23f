// The check-in scanner of the desk's check-in page (templates/desk/checkin.html).
//
// Progressive enhancement: the page works without this script (search by name,
// and the page each badge's QR code opens). With it, and a browser that offers
// a camera, "Start scanner" opens the camera (getUserMedia), reads QR codes in
// the page with @zxing/library (window.ZXing, served from static/vendor/zxing),
// posts each code to the check-in endpoint and answers full-screen: green "May
// enter" with name, participation type and economy, or red "Do not admit" with
// the reason, in words as well as colour, announced through a live region.
//
// Every scan is kept in localStorage before it is sent, and stays there until
// the server has answered it: a scan made while the connection is down (or
// whose answer does not come in time) is sent when the connection is back (the
// "online" event, a timer, the next page load); the page shows how many are
// waiting. The server counts each person once, however often a scan is sent.
(function () {
  "use strict";

  var section = document.getElementById("scanner");
  var result = document.getElementById("scan-result");
  if (!section || !result) return;

  var BATCH = 50; // desk/checkin_views.py MAX_SCANS_PER_REQUEST
  var FLUSH_EVERY_MS = 15000;
  var FRAME_EVERY_MS = 150;
  var SAME_CODE_QUIET_MS = 5000; // a badge still in view is not scanned again at once
  // A request that hangs (a dropped Wi-Fi, a stalled proxy) must not leave the
  // person at the door without an answer: after this long the scan is kept.
  var ANSWER_WAIT_MS = 8000;
  var BATCH_WAIT_MS = 20000;
  var MAX_FRAME_SIDE = 800;

  var scanUrl = section.getAttribute("data-scan-url");
  var queueKey = "ipeg-checkin-queue:" + section.getAttribute("data-event");
  var csrfInput = section.querySelector("input[name=csrfmiddlewaretoken]");
  var startButton = document.getElementById("scanner-start");
  var stopButton = document.getElementById("scanner-stop");
  var video = document.getElementById("scanner-video");
  var statusLine = document.getElementById("scanner-status");
  var queueLine = document.getElementById("scanner-queue");
  var sentBox = document.getElementById("scanner-sent");
  var sentList = document.getElementById("scanner-sent-list");
  var attendedCount = document.getElementById("checkin-attended");
  var seatedCount = document.getElementById("checkin-seated");

  var ZX = window.ZXing;
  var hasCamera = !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  var reader = ZX ? new ZX.QRCodeReader() : null;
  var hints = null;
  if (ZX) {
    hints = new Map();
    hints.set(ZX.DecodeHintType.TRY_HARDER, true);
  }
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  var stream = null;
  var timer = null;
  var answering = false; // a scan is being answered: frames are not decoded
  var lastCode = null;
  var lastCodeAt = 0;
  var flushing = false;
  var liveId = null; // the scan being answered now: not "waiting" while it is
  var sending = []; // how to give up each request under way
  var memoryQueue = null; // when localStorage refuses to store (full, private mode)

  // ---- The decoder: one canvas of pixels in, the QR code's text (or null) out.

  function decodeCanvas(source) {
    try {
      var luminance = new ZX.HTMLCanvasElementLuminanceSource(source);
      var bitmap = new ZX.BinaryBitmap(new ZX.HybridBinarizer(luminance));
      return reader.decode(bitmap, hints).getText();
    } catch (error) {
      return null; // no QR code in this frame (or not a readable one)
    }
  }

  function decodeFrame() {
    var width = video.videoWidth;
    var height = video.videoHeight;
    if (!width || !height) return null;
    var scale = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return decodeCanvas(canvas);
  }

  // ---- The camera.

  function say(text) {
    statusLine.textContent = text;
  }

  function start() {
    say("Opening the camera…");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () {
        say("Scanner on: hold a badge's QR code in front of the camera.");
        lastCode = null;
        tick();
      })
      .catch(function (error) {
        stop();
        if (error && error.name === "NotAllowedError") {
          say("The camera was not allowed. Allow it in the browser's settings for this site, or search by name below.");
        } else if (error && error.name === "NotFoundError") {
          say("No camera was found. Search by name below.");
        } else {
          say("The camera could not be opened" + (error && error.message ? " (" + error.message + ")" : "") + ". Search by name below.");
        }
      });
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    startButton.hidden = false;
    stopButton.hidden = true;
    say("");
  }

  function tick() {
    timer = null;
    if (!stream) return;
    // Scheduled first: an error in one frame must not stop the scanner for good.
    timer = setTimeout(tick, FRAME_EVERY_MS);
    if (!answering && video.readyState >= 2) {
      var text = decodeFrame();
      if (text) scanned(text);
    }
  }

  // ---- A scan: answered at once when online, kept for later when not.

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function scanned(text) {
    var now = Date.now();
    if (text === lastCode && now - lastCodeAt < SAME_CODE_QUIET_MS) return;
    lastCode = text;
    lastCodeAt = now;
    answering = true;
    var scan = { id: newId(), code: text, scanned_at: new Date(now).toISOString() };
    // Stored before it is sent: if the answer never comes, or the page is
    // closed meanwhile, the scan is still sent later. The server counts a
    // person once, so a scan that did arrive and is sent again does no harm.
    liveId = scan.id;
    var queue = loadQueue();
    queue.push(scan);
    saveQueue(queue);
    if (!navigator.onLine) {
      kept(scan, "This phone is offline.");
      return;
    }
    post([scan], ANSWER_WAIT_MS).then(
      function (answer) {
        liveId = null;
        saveQueue(
          loadQueue().filter(function (waiting) {
            return waiting.id !== scan.id;
          })
        );
        showAnswer(answer.results[0]);
      },
      function (error) {
        kept(scan, error.message);
      }
    );
  }

  // Settles within waitMs whatever the network does: a fetch can hang rather
  // than fail when the connection drops under it.
  function post(scans, waitMs) {
    return new Promise(function (resolve, reject) {
      var controller = window.AbortController ? new AbortController() : null;
      var settled = false;
      var timer = setTimeout(giveUp, waitMs, "The server did not answer in time.");
      sending.push(giveUp);

      function settle(finish, value) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sending.splice(sending.indexOf(giveUp), 1);
        finish(value);
      }

      function giveUp(why) {
        if (controller) controller.abort();
        settle(reject, new Error(why));
      }

      fetch(scanUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfInput.value, Accept: "application/json" },
        body: JSON.stringify({ scans: scans }),
        signal: controller ? controller.signal : undefined,
      })
        .then(
          function (response) {
            var type = response.headers.get("Content-Type") || "";
            if (!response.ok || type.indexOf("application/json") !== 0) {
              // A sign-in page (session ended) or a server error: keep the scans.
              throw new Error("The server did not take the scan (answer " + response.status + "; signed out?).");
            }
            return response.json();
          },
          function () {
            throw new Error("The server could not be reached.");
          }
        )
        .then(function (answer) {
          if (settled) return; // given up on: the scans are still waiting
          attendedCount.textContent = answer.attended;
          seatedCount.textContent = answer.seated;
          settle(resolve, answer);
        })
        .catch(function (error) {
          settle(reject, error);
        });
    });
  }

  // ---- The full-screen answer.

  function line(text, className) {
    var p = document.createElement("p");
    p.textContent = text;
    if (className) p.className = className;
    return p;
  }

  function verdict(mark, text) {
    var p = document.createElement("p");
    p.className = "scan-verdict";
    if (mark) {
      var icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = mark + " ";
      p.appendChild(icon);
    }
    p.appendChild(document.createTextNode(text));
    return p;
  }

  function who(answer) {
    var lines = [line(answer.name, "scan-name")];
    var kind = [answer.participation_type, answer.economy || "no economy given"];
    if (answer.organisation) kind.push(answer.organisation);
    lines.push(line(kind.join(" · ")));
    return lines;
  }

  // At a session's door (the page's "Scanning for" choice) the server says
  // what was recorded in ``message``: "Marked present in “Opening” at 09:20 …".
  function recorded(answer, checkedIn) {
    return answer.message || checkedIn + " " + answer.checked_in_time + ".";
  }

  function showAnswer(answer) {
    var parts;
    if (answer.ok) {
      parts = [verdict("✓", "May enter")].concat(who(answer), [line(recorded(answer, "Checked in at"))]);
      open("scan-ok", parts);
    } else if (answer.name) {
      parts = [verdict("✗", "Do not admit")].concat(who(answer), [line(answer.reason, "scan-reason")]);
      open("scan-refused", parts);
    } else {
      open("scan-refused", [verdict("✗", "Do not admit"), line(answer.reason, "scan-reason")]);
    }
  }

  function kept(scan, why) {
    if (liveId === scan.id) liveId = null;
    showQueue();
    open("scan-saved", [
      verdict("", "Saved, not checked yet"),
      line(why + " The scan is kept on this device and sent when the connection is back."),
      line("Check the name on the badge before letting the person in."),
      line(waitingText(waitingCount())),
    ]);
  }

  function open(kind, parts) {
    result.className = "scan-result " + kind;
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Scan next";
    next.addEventListener("click", close);
    result.replaceChildren.apply(result, parts.concat([next]));
    next.focus();
  }

  function close() {
    result.replaceChildren();
    result.className = "scan-result";
    answering = false;
    // The badge just answered is usually still in front of the camera: its
    // quiet time starts now, or it would be scanned again (and refused as
    // already checked in) the moment the answer is closed.
    lastCodeAt = Date.now();
    (stream ? stopButton : startButton).focus();
  }

  // ---- Scans kept while offline.

  function loadQueue() {
    if (memoryQueue) return memoryQueue.slice();
    try {
      var queue = JSON.parse(localStorage.getItem(queueKey) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (error) {
      return [];
    }
  }

  function saveQueue(queue) {
    try {
      if (queue.length) {
        localStorage.setItem(queueKey, JSON.stringify(queue));
      } else {
        localStorage.removeItem(queueKey);
      }
      memoryQueue = null;
    } catch (error) {
      // Kept for as long as the page is open rather than lost, and the frame
      // loop (which called us) keeps running.
      memoryQueue = queue.slice();
    }
    showQueue();
  }

  function waitingCount() {
    return loadQueue().filter(function (scan) {
      return scan.id !== liveId;
    }).length;
  }

  function waitingText(count) {
    return count === 1 ? "1 scan waiting to be sent." : count + " scans waiting to be sent.";
  }

  function showQueue() {
    var count = waitingCount();
    queueLine.textContent = count ? waitingText(count) : "";
    if (count) section.hidden = false;
  }

  function reportSent(answer) {
    var text;
    if (answer.ok) {
      text = answer.name + ": " + recorded(answer, "checked in at");
    } else {
      text = (answer.name ? answer.name + ": not admitted. " : "") + answer.reason;
    }
    var item = document.createElement("li");
    item.textContent = text;
    sentList.appendChild(item);
    sentBox.hidden = false;
  }

  function flush() {
    if (flushing || !navigator.onLine) return;
    var batch = loadQueue()
      .filter(function (scan) {
        return scan.id !== liveId; // its answer is on the way, full-screen
      })
      .slice(0, BATCH);
    if (!batch.length) return;
    flushing = true;
    post(batch, BATCH_WAIT_MS)
      .then(function (answer) {
        var sent = {};
        batch.forEach(function (scan) {
          sent[scan.id] = true;
        });
        saveQueue(
          loadQueue().filter(function (scan) {
            return !sent[scan.id];
          })
        );
        answer.results.forEach(reportSent);
        flushing = false;
        flush(); // the next batch, if any
      })
      .catch(function (error) {
        flushing = false;
        queueLine.textContent = waitingText(waitingCount()) + " " + error.message + " Trying again shortly.";
      });
  }

  // ---- Start.

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && result.firstChild) close();
  });
  window.addEventListener("online", flush);
  // A request under way when the connection drops may never settle on its own.
  window.addEventListener("offline", function () {
    sending.slice().forEach(function (giveUp) {
      giveUp("This phone went offline.");
    });
  });
  setInterval(flush, FLUSH_EVERY_MS);
  showQueue();
  flush();

  if (!hasCamera || !reader) return; // the search by name stays the way in
  section.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && stream) stop();
  });

  // For tests and anyone with a picture of a badge: the same decoder.
  window.ipegCheckinScanner = { decodeCanvas: decodeCanvas, flush: flush };
})();
