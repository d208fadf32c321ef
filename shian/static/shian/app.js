/* Shian console behaviour. No inline script is allowed (CSP), so pages declare what they need with
 * data attributes and this file wires it up:
 *   <div data-chart="ID">   an ECharts chart whose option is the JSON of <script id="ID"> (json_script);
 *                           ECharts (~1 MB) is loaded only on pages that have a chart; charts do not
 *                           animate for users who ask for reduced motion.
 *   <form data-mark-read="SELECTOR">  after its htmx request succeeds, the items under SELECTOR lose
 *                           their unread highlight.
 *   <button data-print>     prints the page.
 *   <select data-navigate>  goes to the chosen option's value (a URL).
 */
(function () {
  "use strict";

  var echartsLoading = null;
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function loadEcharts() {
    if (window.echarts) {
      return Promise.resolve(window.echarts);
    }
    if (!echartsLoading) {
      echartsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = document.body.dataset.echartsSrc;
        script.async = true;
        script.onload = function () { resolve(window.echarts); };
        script.onerror = function () {
          echartsLoading = null;
          reject(new Error("could not load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return echartsLoading;
  }

  function chartElements(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-chart]"));
    if (root.matches && root.matches("[data-chart]")) {
      found.unshift(root);
    }
    return found;
  }

  function initCharts(root) {
    var elements = chartElements(root || document);
    if (!elements.length) {
      return;
    }
    loadEcharts().then(function (echarts) {
      elements.forEach(function (el) {
        var source = document.getElementById(el.dataset.chart);
        if (!source || !el.isConnected || echarts.getInstanceByDom(el)) {
          return;
        }
        var option = JSON.parse(source.textContent);
        if (reducedMotion.matches) {
          option.animation = false;
        }
        echarts.init(el).setOption(option);
      });
    }).catch(function (error) {
      console.error(error);
    });
  }

  function disposeCharts(root) {
    if (!window.echarts) {
      return;
    }
    chartElements(root).forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) {
        chart.dispose();
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      if (!window.echarts) {
        return;
      }
      document.querySelectorAll("[data-chart]").forEach(function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) {
          chart.resize();
        }
      });
    }, 150);
  });

  document.addEventListener("DOMContentLoaded", function () {
    initCharts(document);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    disposeCharts(event.detail.target);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    initCharts(event.detail.target);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-navigate]");
    if (select && select.value) {
      window.location.href = select.value;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form.dataset || !form.dataset.markRead) {
      return;
    }
    document.querySelectorAll(form.dataset.markRead + " .is-unread").forEach(function (item) {
      item.classList.remove("is-unread");
    });
    form.hidden = true;
  });
})();
