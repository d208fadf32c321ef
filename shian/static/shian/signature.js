// Signature pad for the inspection result record (Order 49 art. 34): draw with a finger or a mouse; the
// drawing is sent as a PNG data URL in the hidden `signature` field. No inline script (CSP).
(function () {
  "use strict";

  function setUp() {
    var canvas = document.querySelector("[data-signature-pad]");
    var field = document.querySelector("[data-signature-value]");
    if (!canvas || !field) {
      return;
    }
    var ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    var pen = canvas.getContext("2d");
    pen.scale(ratio, ratio);
    pen.lineWidth = 2;
    pen.lineCap = "round";
    pen.strokeStyle = "#1d273b";
    var drawing = false;

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      pen.beginPath();
      pen.moveTo(p.x, p.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var p = point(event);
      pen.lineTo(p.x, p.y);
      pen.stroke();
      event.preventDefault();
    });
    function stop() {
      if (drawing) {
        drawing = false;
        field.value = canvas.toDataURL("image/png");
      }
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.style.touchAction = "none";
    var clear = document.querySelector("[data-signature-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        pen.clearRect(0, 0, canvas.width, canvas.height);
        field.value = "";
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
