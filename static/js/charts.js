/* Draws every chart of the page from its JSON data and makes its elements links.
   Each element carries customdata = [url, hover text]: a click opens the url (a paragraph, or the
   figure explorer filtered to exactly the figures behind the element). */
(function () {
  "use strict";

  var config = {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "zoom2d", "pan2d",
      "zoomIn2d", "zoomOut2d", "resetScale2d", "hoverClosestCartesian", "hoverCompareCartesian",
      "zoomInGeo", "zoomOutGeo", "resetGeo", "hoverClosestGeo", "pan2d"],
    topojsonURL: "/static/vendor/topojson/"
  };

  // plotly.js's own words (the mode bar, the image download) in the page's language; the bundle ships English only.
  var ZH_HANS = {
    moduleType: "locale",
    name: "zh-Hans",
    dictionary: {
      "Download plot as a PNG": "下载图表（PNG）",
      "Download plot": "下载图表",
      "Preparing image - this may take a few seconds": "正在生成图片，请稍候……",
      "Image download succeeded": "图片已下载",
      "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
      "Reset": "重置",
      "Reset view": "重置视图",
      "Reset axes": "重置坐标轴",
      "Zoom in": "放大",
      "Zoom out": "缩小",
      "Double-click to zoom back out": "双击恢复原始比例"
    },
    format: {decimal: ".", thousands: ","}
  };

  function useLanguage() {
    if (!window.Plotly) return;
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    if (lang.indexOf("zh") === 0) {
      window.Plotly.register(ZH_HANS);
      config.locale = "zh-Hans";
    }
  }

  function linkOf(point) {
    var data = point && point.customdata;
    var url = Array.isArray(data) ? data[0] : data;
    // Only this site's own paths: never an outside address, never javascript:.
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") return url;
    return null;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    figure.layout = figure.layout || {};
    figure.layout.dragmode = false;
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function (graph) {
      graph.on("plotly_click", function (event) {
        var url = linkOf(event && event.points && event.points[0]);
        if (url) window.location.assign(url);
      });
      element.classList.add("drawn");
    });
  }

  function autosubmit(select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.submit();
    });
  }

  useLanguage();
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-figure]"), draw);
  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), autosubmit);
})();
