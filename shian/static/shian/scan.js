/* Scan trace codes with the phone's camera where the browser can read them (the BarcodeDetector API: Chrome
 * on Android): a button [data-scan-into=FIELD-ID] shows, and each code read is added, one per line, to that
 * field. Elsewhere the button stays hidden and codes are typed, or entered by a scanner that types. */
(function () {
  "use strict";

  function scanner(button, field) {
    var stream = null;
    var timer = null;
    var video = null;

    function stop() {
      clearInterval(timer);
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      if (video) { video.remove(); }
      stream = timer = video = null;
      button.classList.remove("active");
    }

    function add(code) {
      var codes = field.value.split(/\s+/).filter(Boolean);
      if (codes.indexOf(code) === -1) {
        codes.push(code);
        field.value = codes.join("\n");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }

    function start() {
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "data_matrix", "code_128", "ean_13"] });
      video = document.createElement("video");
      video.setAttribute("playsinline", "");
      video.muted = true;
      video.className = "w-100 mt-2 rounded";
      button.insertAdjacentElement("afterend", video);
      button.classList.add("active");
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
        stream = media;
        video.srcObject = media;
        video.play().catch(function () {});
        timer = setInterval(function () {
          detector.detect(video).then(function (found) {
            found.forEach(function (code) { add(code.rawValue); });
          }).catch(function () {});
        }, 300);
      }).catch(stop);
    }

    button.addEventListener("click", function () { return stream || video ? stop() : start(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    document.querySelectorAll("[data-scan-into]").forEach(function (button) {
      var field = document.getElementById(button.dataset.scanInto);
      if (field) {
        button.hidden = false;
        scanner(button, field);
      }
    });
  });
})();
