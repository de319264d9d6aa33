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

  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-figure]"), draw);
  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), autosubmit);
})();
