// Evidence upload (五定): fill latitude and longitude from the device's position, and set the capture time
// to the moment the photo is taken (chosen). No inline script (CSP).
(function () {
  "use strict";

  function setUp() {
    var latitude = document.querySelector("[data-geo='latitude']");
    var longitude = document.querySelector("[data-geo='longitude']");
    var button = document.querySelector("[data-geo-locate]");
    var status = document.querySelector("[data-geo-status]");
    if (!latitude || !longitude || !status) {
      return;
    }

    function say(key, metres) {
      var text = status.getAttribute("data-" + key) || "";
      status.textContent = text.replace("%(metres)s", metres === undefined ? "" : String(metres));
    }

    function locate() {
      if (!("geolocation" in navigator)) {
        say("unsupported");
        return;
      }
      say("locating");
      if (button) {
        button.disabled = true;
      }
      navigator.geolocation.getCurrentPosition(
        function (position) {
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
          say("found", Math.round(position.coords.accuracy));
          if (button) {
            button.disabled = false;
          }
        },
        function () {
          say("failed");
          if (button) {
            button.disabled = false;
          }
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
      );
    }

    if (button) {
      button.addEventListener("click", locate);
    }

    var file = document.querySelector("[data-evidence-file]");
    var capturedAt = document.querySelector("[data-captured-at]");
    if (file && capturedAt) {
      file.addEventListener("change", function () {
        var offset = parseInt(capturedAt.getAttribute("data-utc-offset-minutes") || "0", 10);
        var wallTime = new Date(Date.now() + offset * 60000);
        capturedAt.value = wallTime.toISOString().slice(0, 16);
        locate();
      });
    }
    if (!latitude.value || !longitude.value) {
      locate();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
